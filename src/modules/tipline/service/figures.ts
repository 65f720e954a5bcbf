/** The tipline's figures for the reports module: questions per channel, answered at once or later, subscribers per unit. */
import type { Db } from '../../../db/client.js';
import type { FigureQuery, TiplineFigures } from '../../../platform/figures.js';
import * as repo from '../repo.js';

export async function tiplineFigures(db: Db, q: FigureQuery): Promise<TiplineFigures> {
  const [rows, subs] = await Promise.all([
    repo.questionFigures(db, q.from, q.to, q.unitPath),
    repo.subscribersPerUnit(db, q.unitPath),
  ]);
  const sum = (k: 'received' | 'instant' | 'later') => rows.reduce((s, r) => s + r[k], 0);
  return {
    questionsReceived: sum('received'),
    answeredInstantly: sum('instant'),
    answeredLater: sum('later'),
    medianHoursToAnswer: await repo.medianHours(db, q.from, q.to, q.unitPath),
    byChannel: rows.map((r) => ({
      key: r.channel,
      label: r.channel,
      values: { received: r.received, instant: r.instant, later: r.later, medianHours: r.median_hours },
    })),
    subscribersByUnit: subs.map((s) => ({ key: String(s.unit_id), label: s.name, values: { subscribers: s.n } })),
    subscribers: subs.reduce((s, r) => s + r.n, 0),
  };
}
