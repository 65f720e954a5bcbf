import type { Deps } from '../../src/http/context.js';
import * as crisis from '../../src/modules/crisis/service.js';
import { actorOf, type Unit } from './factories.js';

/**
 * A statement (a notice by default) on `unit`, outside any incident unless `incident` is given, drafted and submitted
 * by `by` and released by `reviewer` through the crisis service, signed like any other. Returns its id, number and
 * verification code.
 */
export async function makeStatement(
  deps: Deps,
  o: {
    by: number;
    reviewer: number;
    unit: Unit;
    incident?: number;
    title?: string;
    body?: string;
    kind?: 'notice' | 'update';
    lists?: number[];
  },
): Promise<{ id: number; number: string; code: string }> {
  const by = await actorOf(deps.db, o.by);
  const id = await crisis.draftStatement(deps.db, by, {
    incidentId: o.incident ?? null,
    unitId: o.unit.id,
    kind: o.kind ?? 'notice',
    refersTo: null,
    title: o.title ?? 'Thông báo lịch tiếp công dân',
    titleEn: null,
    body: o.body ?? 'Trụ sở tiếp công dân làm việc từ 7 giờ 30 đến 17 giờ các ngày trong tuần.',
    bodyEn: null,
    listIds: o.lists ?? [],
  });
  await crisis.submitStatement(deps.db, by, id);
  await crisis.releaseStatement(deps, await actorOf(deps.db, o.reviewer), id, {
    baseUrl: deps.config.baseUrl,
    orgName: deps.config.ORG_NAME,
  });
  const row = await deps.db.one<{ number: string; code: string }>(
    `SELECT number, code FROM crisis_statements WHERE id = $1`,
    [id],
  );
  return { id, number: row!.number, code: row!.code };
}

/**
 * A distribution list on `unit` made by `by` (who manages crisis there) through the crisis service, with these e-mail
 * contacts (Vietnamese unless said). Returns its id.
 */
export async function makeList(
  deps: Pick<Deps, 'db'>,
  o: {
    by: number;
    unit: Unit;
    name: string;
    kind: 'press' | 'officials' | 'unit_leaders' | 'network' | 'custom';
    contacts?: { name: string; email: string; locale?: 'vi' | 'en' }[];
  },
): Promise<number> {
  const by = await actorOf(deps.db, o.by);
  const id = await crisis.createList(deps.db, by, o.name, o.kind, o.unit.id);
  for (const c of o.contacts ?? [])
    await crisis.addContact(deps.db, by, id, {
      name: c.name,
      organisation: '',
      channel: 'email',
      address: c.email,
      locale: c.locale ?? 'vi',
    });
  return id;
}
