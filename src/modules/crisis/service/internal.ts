/** Helpers the capability files share; service.ts does not re-export them. */
import type { Db } from '../../../db/client.js';
import type { Deps } from '../../../http/context.js';
import { slot } from '../../../platform/app-state.js';
import type { Principal } from '../../../platform/auth/permissions.js';
import * as repo from '../repo.js';
import { notFound } from './common.js';

export const label = (p: Principal) => p.email;

export async function incidentOrThrow(db: Db, id: number): Promise<repo.IncidentRow> {
  const i = await repo.getIncident(db, id);
  if (!i) throw notFound();
  return i;
}

export async function event(db: Db, e: Parameters<typeof repo.insertEvent>[1]) {
  await repo.insertEvent(db, e);
}

export async function statementContext(db: Db, id: number) {
  const s = await repo.getStatement(db, id);
  if (!s) throw notFound();
  const incident = s.incident_id ? await incidentOrThrow(db, s.incident_id) : null;
  return { s, incident };
}

/** A version of this app's public lists, bumped after changes that may show on them (read through currentListVersion). */
const LIST_VERSION = slot('crisis.list-version', () => ({ n: 0 }));
export const bumpListVersion = (deps: Pick<Deps, 'state'>): void => {
  deps.state.get(LIST_VERSION).n++;
};
export const currentListVersion = (deps: Pick<Deps, 'state'>) => deps.state.get(LIST_VERSION).n;
