/** Releasing a statement: approve, number, sign, alert and queue its distribution in one transaction. */
import type { Deps } from '../../../http/context.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { ForbiddenError } from '../../../platform/auth/permissions.js';
import { enqueue } from '../../../platform/jobs/queue.js';
import * as repo from '../repo.js';
import { canonicalForm, hashText, signCanonical, textHashes, verificationCode } from './signing.js';
import { mayApprove } from './access.js';
import { ownTextKey } from './statements.js';
import { produceAlert } from './cap-alerts.js';
import { invalid, notFound, type Actor, type SiteInfo } from './common.js';
import { DISTRIBUTE_JOB } from './distribution.js';
import { bumpListVersion, event, label, statementContext } from './internal.js';
import { invalidateIncident } from './page-cache.js';
import { signingKey } from './signing-keys.js';
import { shareText } from './statement-links.js';

export interface ReleaseResult {
  id: number;
  number: string;
  code: string;
  replayed: boolean;
}

/**
 * Approves and releases a submitted statement: numbers it, signs its canonical form, produces the
 * CAP alert and queues its distribution, all in one transaction. A second call (double click, retry)
 * finds it released and changes nothing.
 */
export async function releaseStatement(
  deps: Pick<Deps, 'db' | 'state'>,
  a: Actor,
  id: number,
  site: SiteInfo,
): Promise<ReleaseResult> {
  const { db } = deps;
  const { s: before, incident } = await statementContext(db, id);
  if (!(await mayApprove(db, a.principal, incident, before.unit_path))) throw new ForbiddenError('crisis.approve');
  const result = await db.tx(async (tx): Promise<ReleaseResult> => {
    const locked = await repo.getStatementForUpdate(tx, id);
    if (!locked) throw notFound();
    if (locked.status === 'released') {
      const done = (await repo.getStatement(tx, id))!;
      return { id, number: done.number!, code: done.code!, replayed: true };
    }
    if (locked.status !== 'submitted') throw invalid({ _form: 'err.notSubmitted' });
    const own = ownTextKey(a.principal.userId, locked);
    if (own) throw invalid({ _form: own });
    // the text as it is now, under the lock: what is signed is exactly what the approver may approve
    const s = (await repo.getStatement(tx, id))!;
    if (incident) {
      const fresh = await repo.getIncident(tx, incident.id);
      if (fresh?.status === 'closed') throw invalid({ _form: 'err.closedIncident' });
    }
    // the current key, held against a rotation until this transaction ends
    await repo.lockKeysShared(tx);
    const key = await signingKey(tx);
    const releasedAt = new Date(Math.max(Date.now(), key.validFrom.getTime()));
    const year = Number(
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(releasedAt),
    );
    const seq = await repo.nextSeq(tx, year);
    const number = `${year}-${String(seq).padStart(3, '0')}`;
    const canonical = canonicalForm({
      number,
      releasedAt: releasedAt.toISOString(),
      title: s.title,
      titleEn: s.title_en,
      body: s.body,
      bodyEn: s.body_en,
      incidentId: s.incident_id,
    });
    const signature = signCanonical(key.privateKeyPem, canonical);
    let code = verificationCode(signature);
    for (let salt = 1; await repo.codeTaken(tx, code); salt++) code = verificationCode(signature, salt);
    const released = { ...s, number, code, released_at: releasedAt };
    const hashes = [
      ...textHashes({ title: s.title, titleEn: s.title_en, body: s.body, bodyEn: s.body_en }),
      hashText(shareText(released, site, 'vi')),
      ...(s.body_en ? [hashText(shareText(released, site, 'en'))] : []),
    ];
    if (
      !(await repo.markReleased(tx, id, {
        seq,
        number,
        releasedAt,
        approvedBy: a.principal.userId,
        code,
        signature,
        keyId: key.keyId,
        hashes,
      }))
    ) {
      throw invalid({ _form: 'err.notSubmitted' });
    }
    if (incident) {
      await repo.bumpVersion(tx, incident.id);
      if (incident.public_alert) await produceAlert(tx, incident, { ...released, id }, null, site);
    }
    await event(tx, {
      incidentId: s.incident_id,
      statementId: id,
      kind: 'released',
      public: true,
      actorLabel: label(a.principal),
      data: { number, code, title: s.title },
    });
    await enqueue(tx, DISTRIBUTE_JOB, { statementId: id }, { uniqueKey: `${DISTRIBUTE_JOB}:${id}` });
    await recordAudit(tx, {
      actorId: a.principal.userId,
      actorLabel: label(a.principal),
      action: 'crisis.statement.release',
      entityType: 'crisis.statement',
      entityId: id,
      unitId: s.unit_id,
      ip: a.ip,
      data: { number, code, keyId: key.keyId, textVersion: s.text_version },
    });
    return { id, number, code, replayed: false };
  });
  if (incident) invalidateIncident(deps, incident.id);
  else bumpListVersion(deps);
  return result;
}
