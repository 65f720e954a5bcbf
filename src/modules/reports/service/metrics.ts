/** What the report shows, in order: each figure, where it comes from and how it is formatted. */
import type { ModuleFigures } from '../../../platform/figures.js';
import { formatNumber, formatPercent, type Locale } from '../../../platform/i18n/index.js';
import { rt } from '../i18n.js';

export type Format = 'count' | 'percent' | 'hours' | 'decimal';
export type SectionKey = 'desk' | 'mailbox' | 'network' | 'training' | 'crisis' | 'tipline';
export type Source = keyof ModuleFigures;

export interface Metric {
  /** 'mailbox.received' — also the i18n key 'metric.mailbox.received' and the sort key */
  id: string;
  section: SectionKey;
  source: Source;
  field: string;
  format: Format;
  /** false when a smaller number is better (time to answer, overdue) */
  higherIsBetter?: boolean;
}

const m = (
  section: SectionKey,
  source: Source,
  field: string,
  format: Format = 'count',
  higherIsBetter = true,
): Metric => ({
  id: `${section}.${field}`,
  section,
  source,
  field,
  format,
  higherIsBetter,
});

export const SECTIONS: SectionKey[] = ['desk', 'mailbox', 'network', 'training', 'crisis', 'tipline'];

export const METRICS: Metric[] = [
  m('desk', 'desk', 'articles'),
  m('desk', 'desk', 'videos'),
  m('desk', 'desk', 'factchecks'),
  m('desk', 'desk', 'claimsReceived'),
  m('desk', 'desk', 'clusters'),
  m('desk', 'desk', 'claimsAnswered'),
  m('desk', 'desk', 'medianHoursToAnswer', 'hours', false),
  m('mailbox', 'mailbox', 'received'),
  m('mailbox', 'mailbox', 'accepted'),
  m('mailbox', 'mailbox', 'answered'),
  m('mailbox', 'mailbox', 'answeredOnTime'),
  m('mailbox', 'mailbox', 'onTimeRate', 'percent'),
  m('mailbox', 'mailbox', 'medianHoursToAnswer', 'hours', false),
  m('mailbox', 'mailbox', 'overdueNow', 'count', false),
  m('mailbox', 'mailbox', 'reopened', 'count', false),
  m('mailbox', 'mailbox', 'ratingAverage', 'decimal'),
  m('mailbox', 'mailbox', 'ratingCount'),
  m('mailbox', 'mailbox', 'closedFixed'),
  m('mailbox', 'mailbox', 'closedNotFixed', 'count', false),
  m('mailbox', 'mailbox', 'notOurs'),
  m('mailbox', 'mailbox', 'duplicates'),
  m('network', 'network', 'members'),
  m('network', 'network', 'activeMembers'),
  m('network', 'network', 'campaigns'),
  m('network', 'network', 'clicks'),
  m('network', 'network', 'reportedShares'),
  m('network', 'network', 'clicksPer100Members', 'decimal'),
  m('network', 'desk', 'claimsFromMembers'),
  m('training', 'network', 'trainingAssigned'),
  m('training', 'network', 'trainingCompleted'),
  m('training', 'network', 'trainingPassRate', 'percent'),
  m('training', 'network', 'sessions'),
  m('training', 'network', 'sessionParticipants'),
  m('network', 'network', 'awards'),
  m('network', 'network', 'groupReach'),
  m('crisis', 'crisis', 'incidents'),
  m('crisis', 'crisis', 'statements'),
  m('crisis', 'crisis', 'deliveries'),
  m('crisis', 'crisis', 'delivered'),
  m('crisis', 'crisis', 'deliverySuccessRate', 'percent'),
  m('tipline', 'tipline', 'questionsReceived'),
  m('tipline', 'tipline', 'answeredInstantly'),
  m('tipline', 'tipline', 'answeredLater'),
  m('tipline', 'tipline', 'medianHoursToAnswer', 'hours', false),
  m('tipline', 'tipline', 'subscribers'),
];

export const metricById = new Map(METRICS.map((x) => [x.id, x]));

/** The columns of the child-unit breakdown: the figures that show which units lag. */
export const BREAKDOWN_COLUMNS: string[] = [
  'mailbox.received',
  'mailbox.answered',
  'mailbox.onTimeRate',
  'mailbox.medianHoursToAnswer',
  'mailbox.overdueNow',
  'desk.claimsAnswered',
  'network.members',
  'network.clicksPer100Members',
  'training.trainingPassRate',
  'crisis.deliverySuccessRate',
];

/** Trend charts: one per figure. */
export const TREND_METRICS: string[] = [
  'mailbox.received',
  'mailbox.answered',
  'desk.claimsReceived',
  'network.clicks',
];

export function valueOf(f: ModuleFigures | undefined, metric: Metric): number | null {
  const src = f?.[metric.source] as Record<string, unknown> | undefined;
  if (!src) return null;
  const v = src[metric.field];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function formatValue(locale: Locale, format: Format, v: number | null | undefined): string {
  if (v == null) return '—';
  if (format === 'percent') return formatPercent(locale, v);
  if (format === 'hours') return formatNumber(locale, v, 1);
  if (format === 'decimal') return formatNumber(locale, v, 1);
  return formatNumber(locale, v, 0);
}

/**
 * Change against the previous period: rates in percentage points; other figures as the difference, with the
 * relative change beside it when it reads well ("+12 (+15,3%)"), not from zero nor past ±1,000% ("+85", not "+8.500%").
 */
export function change(
  metric: Metric,
  cur: number | null,
  prev: number | null,
  locale: Locale = 'vi',
): { text: string; direction: 'up' | 'down' | 'same' | 'none'; good: boolean | null } {
  if (cur == null || prev == null) return { text: '—', direction: 'none', good: null };
  const diff = cur - prev;
  const direction = diff > 0 ? 'up' : diff < 0 ? 'down' : 'same';
  const good = diff === 0 ? null : diff > 0 === (metric.higherIsBetter !== false);
  const sign = diff > 0 ? '+' : diff < 0 ? '−' : '±';
  if (metric.format === 'percent')
    return {
      text: rt.t(locale)('change.points', { sign, n: formatNumber(locale, Math.abs(diff * 100), 1) }),
      direction,
      good,
    };
  const abs = `${sign}${formatValue(locale, metric.format, Math.abs(diff))}`;
  const relative = prev === 0 ? null : Math.abs((diff / prev) * 100);
  if (diff === 0 || relative === null || relative >= 1000) return { text: abs, direction, good };
  return { text: `${abs} (${sign}${formatNumber(locale, relative, 1)}%)`, direction, good };
}
