/**
 * Fake modules that implement the figures contract over in-memory items, so the reports framework
 * can be tested (periods, time zone, subtrees, comparison, breakdowns) without the real modules.
 */
import type { AppModule } from '../../src/http/module.js';
import { inSubtree } from '../../src/platform/auth/permissions.js';
import type { FigureQuery } from '../../src/platform/figures.js';

export interface FakeReport {
  path: string;
  at: string; // ISO instant
  answeredAfterHours?: number;
  onTime?: boolean;
  category: 'roads' | 'environment';
}

export interface FakeClaim {
  path: string;
  at: string;
  answered?: boolean;
}

const median = (xs: number[]) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export function fakeModules(data: { reports: FakeReport[]; claims: FakeClaim[]; failNetwork?: boolean }): AppModule[] {
  const within = (q: FigureQuery, path: string, at: string) =>
    inSubtree(path, q.unitPath) && new Date(at) >= q.from && new Date(at) < q.to;
  const calls: FigureQuery[] = [];
  const mailbox: AppModule = {
    name: 'mailbox',
    async figures(_db, q) {
      calls.push(q);
      const items = data.reports.filter((r) => within(q, r.path, r.at));
      const answered = items.filter((r) => r.answeredAfterHours != null);
      const onTime = answered.filter((r) => r.onTime);
      const cat = (c: FakeReport['category'], label: string) => {
        const xs = items.filter((r) => r.category === c);
        return {
          key: c,
          label,
          values: { received: xs.length, answered: xs.filter((r) => r.answeredAfterHours != null).length },
        };
      };
      return {
        mailbox: {
          received: items.length,
          accepted: items.length,
          answered: answered.length,
          answeredOnTime: onTime.length,
          onTimeRate: answered.length ? onTime.length / answered.length : null,
          medianHoursToAnswer: median(answered.map((r) => r.answeredAfterHours!)),
          overdueNow: items.length - answered.length,
          reopened: 0,
          ratingAverage: null,
          ratingCount: 0,
          byCategory: [cat('roads', 'Giao thông'), cat('environment', 'Môi trường')],
          byAgency: [
            { key: 'A1', label: 'Sở Xây dựng', values: { received: items.length, answered: answered.length } },
          ],
        },
      };
    },
  };
  const desk: AppModule = {
    name: 'desk',
    async figures(_db, q) {
      const items = data.claims.filter((c) => within(q, c.path, c.at));
      return {
        desk: {
          articles: 2,
          videos: 0,
          factchecks: 1,
          claimsReceived: items.length,
          clusters: items.length ? 1 : 0,
          claimsAnswered: items.filter((c) => c.answered).length,
          medianHoursToAnswer: null,
          claimsFromMembers: 0,
        },
      };
    },
  };
  const network: AppModule = {
    name: 'network',
    async figures() {
      if (data.failNetwork) throw new Error('network figures broke');
      return {
        network: {
          members: 10,
          activeMembers: 4,
          campaigns: 1,
          clicks: 250,
          reportedShares: 3,
          clicksPer100Members: 2500,
          trainingAssigned: 8,
          trainingCompleted: 6,
          trainingPassRate: 0.75,
        },
      };
    },
  };
  return Object.assign([mailbox, desk, network], { calls });
}
