/** Everything the public incident page (and its JSON) shows, read in one go. */
import type { Db } from '../../../db/client.js';
import * as repo from '../repo.js';
import * as service from '../service.js';
import type { IncidentPageData } from '../views/public.js';

export async function loadIncidentPage(db: Db, id: number, version: number): Promise<IncidentPageData | null> {
  const incident = await repo.getIncident(db, id);
  if (!incident) return null;
  const [statements, units, events, falseItems, alerts] = await Promise.all([
    repo.listStatements(db, { incidentId: id, status: 'released', limit: 100 }),
    repo.incidentUnits(db, id),
    repo.eventsOf(db, id, true),
    service.knownFalse(db, id),
    repo.alertsOfIncident(db, id),
  ]);
  const later = new Map<number, repo.StatementRow[]>();
  for (const s of statements) if (s.refers_to) later.set(s.refers_to, [...(later.get(s.refers_to) ?? []), s]);
  for (const v of later.values()) v.reverse();
  return {
    incident,
    statements,
    later,
    units,
    events,
    falseItems,
    alerts: alerts.filter((a) => a.msg_type !== 'Cancel' || incident.status === 'closed'),
    version,
  };
}
