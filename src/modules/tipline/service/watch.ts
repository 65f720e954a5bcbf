/**
 * Answers that come later: every minute the open cases are compared with the desk and the mailbox (through their
 * public functions). A claim's cluster answered by a published fact-check → everyone in the cluster who asked from
 * a chat gets it there; a report's status change or official answer → the resident gets it in the chat.
 */
import type { Deps } from '../../../http/context.js';
import * as mailbox from '../../mailbox/public.js';
import { tiplineText } from '../i18n.js';
import * as repo from '../repo.js';
import { statusLabel } from './conversation.js';
import { claimAnswer } from './desk.js';
import { say } from './outbound.js';

export const WATCH_JOB = 'tipline.watch';
const FINAL = new Set(['closed', 'rejected', 'spam', 'merged']);

export async function watchCases(deps: Deps, limit = 1000): Promise<number> {
  const { db, config } = deps;
  let sent = 0;
  for (const c of await repo.openCases(db, limit)) {
    const code = c.code!;
    await db.tx(async (tx) => {
      const user = c.user_id ? await repo.getUser(tx, c.user_id) : undefined;
      if (!user) return;
      const t = tiplineText.t(user.locale);
      if (code.startsWith('KC-')) {
        const a = await claimAnswer(tx, code);
        if (!a?.factcheck) return;
        const fc = a.factcheck;
        const url = /^https?:/.test(fc.url) ? fc.url : `${config.baseUrl}${fc.url}`;
        await repo.updateCase(tx, c.id, { status: 'answered', lastSeen: 'answered' });
        await say(tx, user, config.ORG_NAME, [
          {
            text: t('check.later', { code, verdict: fc.verdictLabel ?? fc.verdict ?? '', title: fc.title, url }),
            caseId: c.id,
          },
        ]);
        sent++;
        return;
      }
      const r = await mailbox.reportStatus(tx, config.baseUrl, code, { own: c.kind === 'report' });
      if (!r || r.status === c.last_seen) return;
      const answered = Boolean(r.answer) && (r.status === 'answered' || r.status === 'closed');
      const text = answered
        ? t('report.answer', { code, answer: r.answer!, url: r.publicUrl })
        : t('report.status', { code, status: statusLabel(t, r.status) });
      await repo.updateCase(tx, c.id, {
        lastSeen: r.status,
        status: FINAL.has(r.status) ? 'closed' : answered ? 'answered' : undefined,
      });
      await say(tx, user, config.ORG_NAME, [{ text, caseId: c.id }]);
      sent++;
    });
  }
  return sent;
}
