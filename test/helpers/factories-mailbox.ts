import type { Deps } from '../../src/http/context.js';
import * as mailbox from '../../src/modules/mailbox/service.js';
import { closeWithOutcome } from '../../src/modules/mailbox/service/outcomes.js';
import { saveCategory } from '../../src/modules/mailbox/service/setup.js';
import { saveTemplate } from '../../src/modules/mailbox/service/templates.js';
import { actorOf, makeReport, type Unit } from './factories.js';

export type ReportState = 'received' | 'triaged' | 'in_progress' | 'answered' | 'closed';

/**
 * A resident's report (through makeReport) taken by the staff services to `state`: 'triaged' is accepted by `handler`
 * (assigned when a routing rule gave it an agency, accepted otherwise), 'in_progress' taken up by `handler`,
 * 'answered' drafted by `handler` (with `answer`) and approved by `reviewer`, 'closed' then closed as fixed by `handler`.
 */
export async function makeReportIn(
  deps: Deps,
  o: {
    unit: Unit;
    category: number;
    state: ReportState;
    handler?: number;
    reviewer?: number;
    description?: string;
    answer?: string;
    email?: string;
    phone?: string;
  },
): Promise<{ id: number; code: string }> {
  const r = await makeReport(deps, o);
  if (o.state === 'received') return r;
  if (!o.handler) throw new Error(`a report ${o.state} needs a handler`);
  const handler = await actorOf(deps.db, o.handler);
  await mailbox.triage(deps, handler, r.id, 'accept', null);
  if (o.state === 'triaged') return r;
  await mailbox.startHandling(deps, handler, r.id);
  if (o.state === 'in_progress') return r;
  if (!o.reviewer) throw new Error('an answer needs a reviewer other than the handler who drafts it');
  await mailbox.draftAnswer(deps, handler, r.id, o.answer ?? 'Đơn vị đã kiểm tra và xử lý xong.');
  await mailbox.approveAnswer(deps, await actorOf(deps.db, o.reviewer), r.id, null);
  if (o.state === 'closed') await closeWithOutcome(deps, handler, r.id, { outcome: 'fixed', note: '' });
  return r;
}

/**
 * A reply template saved through the mailbox's templates service by `by` (who keeps templates somewhere): for the
 * unit of `by`'s grant, or for `agency` (an id) when given; `category` none for any category. Returns its id.
 */
export async function makeTemplate(
  deps: Pick<Deps, 'db'>,
  by: number,
  o: { name: string; body: string; category?: number; agency?: number; active?: boolean },
): Promise<number> {
  return saveTemplate(deps, await actorOf(deps.db, by), null, {
    name: o.name,
    body: o.body,
    category: o.category ? String(o.category) : '',
    agency: o.agency ? String(o.agency) : '',
    active: o.active ?? true,
  });
}

/**
 * A mailbox category "not for publication by default" (its reports never published unless staff say so), saved
 * through the set-up service by `admin` (an admin of the installation's top unit), as the security category is.
 */
export async function makeUnpublishedCategory(
  deps: Pick<Deps, 'db' | 'state'>,
  admin: number,
  o: { code: string; name: string; nameEn?: string; days?: number },
): Promise<number> {
  await saveCategory(deps, await actorOf(deps.db, admin), null, {
    code: o.code,
    name: o.name,
    name_en: o.nameEn ?? o.name,
    handling_days: String(o.days ?? 10),
    active: true,
    not_public_default: true,
  });
  const row = await deps.db.one<{ id: number }>(`SELECT id FROM mailbox_categories WHERE code = $1`, [o.code]);
  if (!row) throw new Error(`category ${o.code} was not saved`);
  return row.id;
}
