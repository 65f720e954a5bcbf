/** Background work: long reports, and the monthly report e-mailed to each unit's leaders. */
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { isLocale, type Locale } from '../../platform/i18n/index.js';
import { enqueue, type JobHandler, type Schedule } from '../../platform/jobs/queue.js';
import type { ModuleJobs } from '../../platform/jobs/registry.js';
import { send } from '../../platform/notify/notify.js';
import type { TemplateTable } from '../../platform/notify/templates.js';
import { rt } from './i18n.js';
import { formatValue, metricById, valueOf } from './service/metrics.js';
import { makePeriod, nextMonthlyRun, periodLabel, previousMonth } from './service/period.js';
import { recipientsOf, unitsWithRecipients } from './service/monthly-mail.js';
import * as repo from './repo.js';
import { buildReport, JOB_MONTHLY, JOB_MONTHLY_UNIT, JOB_RUN, type FigureSource, type ReportData } from './service.js';

export const reportTemplates: TemplateTable = {
  'reports.ready': {
    vi: {
      subject: 'Báo cáo đã lập xong: {unit}, {period}',
      text: 'Xin chào {name},\n\nBáo cáo {period} của {unit} bạn yêu cầu đã lập xong:\n{url}\n\nCầu Nối',
    },
    en: {
      subject: 'Your report is ready: {unit}, {period}',
      text: 'Hello {name},\n\nThe {period} report for {unit} that you asked for is ready:\n{url}\n\nCầu Nối',
    },
  },
  'reports.monthly': {
    vi: {
      subject: 'Báo cáo {period}: {unit}',
      text: 'Kính gửi {name},\n\nSố liệu {period} của {unit} (so với tháng trước):\n\n{lines}\n\nXem đầy đủ, bảng theo đơn vị trực thuộc và tải về:\n{url}\n\nThôi nhận thư này hoặc nhận thêm báo cáo của đơn vị khác:\n{manage}\n\nCầu Nối',
    },
    en: {
      subject: 'Report for {period}: {unit}',
      text: 'Dear {name},\n\nFigures for {unit}, {period} (compared with the month before):\n\n{lines}\n\nThe full report, units below and downloads:\n{url}\n\nStop these e-mails or receive other units’ reports:\n{manage}\n\nCầu Nối',
    },
  },
};

const MAIL_METRICS = [
  'mailbox.received',
  'mailbox.answered',
  'mailbox.onTimeRate',
  'mailbox.medianHoursToAnswer',
  'mailbox.overdueNow',
  'desk.claimsReceived',
  'desk.claimsAnswered',
  'desk.factchecks',
  'network.clicks',
  'training.trainingPassRate',
  'crisis.deliverySuccessRate',
];

/** The lines of the monthly e-mail: "- Phản ánh nhận được: 120 (tháng trước 98)". */
export function mailLines(r: ReportData, locale: Locale): string {
  const t = rt.t(locale);
  const lines: string[] = [];
  for (const id of MAIL_METRICS) {
    const m = metricById.get(id)!;
    if (!r.figures[m.source]) continue;
    const label = t(`metric.${id}` as Parameters<typeof t>[0]);
    const cur = formatValue(locale, m.format, valueOf(r.figures, m));
    const prev = formatValue(locale, m.format, valueOf(r.previous, m));
    lines.push(`- ${label}: ${cur} (${t('period.previous').toLowerCase()}: ${prev})`);
  }
  return lines.join('\n');
}

export function reportJobs(deps: Deps, sources: () => readonly FigureSource[]): ModuleJobs {
  const handlers: Record<string, JobHandler> = {};
  const schedules: Schedule[] = [];
  const base = deps.config.baseUrl.replace(/\/$/, '');
  const onError = (name: string, err: unknown) => deps.log.error({ err, module: name }, 'module figures failed');

  handlers[JOB_RUN] = async ({ runId }: { runId: number }, { db }) => {
    const run = await repo.runById(db, runId);
    if (!run || run.status === 'done') return;
    await repo.markRunning(db, runId);
    const unit = await repo.unitById(db, run.unit_id);
    if (!unit) {
      await repo.failRun(db, runId, 'unit no longer exists');
      return;
    }
    const period = makePeriod(run.date_from, run.date_to);
    try {
      const report = await buildReport(sources(), db, unit, period, { onError });
      const user = await repo.userById(db, run.user_id);
      const locale: Locale = isLocale(run.locale) ? run.locale : 'vi';
      await db.tx(async (tx) => {
        await repo.finishRun(tx, runId, report);
        if (user) {
          await send(tx, [
            {
              channel: 'email',
              recipient: user.email,
              template: 'reports.ready',
              locale,
              vars: {
                name: user.name,
                unit: locale === 'en' && unit.name_en ? unit.name_en : unit.full_name,
                period: periodLabel(period, locale),
                url: `${base}/staff/reports/runs/${runId}`,
              },
              refType: 'report_run',
              refId: runId,
            },
          ]);
        }
      });
    } catch (err) {
      await repo.failRun(db, runId, err instanceof Error ? err.message : String(err));
      throw err;
    }
  };

  schedules.push({ name: 'reports.monthly', jobType: JOB_MONTHLY, next: nextMonthlyRun });

  /** Fans out one job per unit whose report has recipients, for the month before `scheduledFor`. */
  handlers[JOB_MONTHLY] = async (payload: { scheduledFor?: string }, { db }) => {
    const at = payload.scheduledFor ? new Date(payload.scheduledFor) : new Date();
    const month = previousMonth(at);
    for (const u of await unitsWithRecipients(db)) {
      await enqueue(
        db,
        JOB_MONTHLY_UNIT,
        { unitId: u.id, from: month.from, to: month.to },
        { uniqueKey: `reports.monthly:${u.id}:${month.from}` },
      );
    }
  };

  handlers[JOB_MONTHLY_UNIT] = async ({ unitId, from, to }: { unitId: number; from: string; to: string }, { db }) => {
    const unit = await repo.unitById(db, unitId);
    if (!unit) return;
    const period = makePeriod(from, to);
    const report = await buildReport(sources(), db, unit, period, { children: false, trend: false, onError });
    const recipients = await recipientsOf(db, unitId);
    if (recipients.length === 0) return;
    await db.tx(async (tx) => {
      await send(
        tx,
        recipients.map((l) => {
          const locale: Locale = isLocale(l.locale) ? l.locale : 'vi';
          return {
            channel: 'email' as const,
            recipient: l.email,
            template: 'reports.monthly',
            locale,
            vars: {
              name: l.name,
              unit: locale === 'en' && unit.name_en ? unit.name_en : unit.full_name,
              period: periodLabel(period, locale),
              lines: mailLines(report, locale),
              url: `${base}/staff/reports?unit=${encodeURIComponent(unit.code)}&period=${from.slice(0, 7)}`,
              manage: `${base}/staff/reports/mail`,
            },
            refType: 'reports.monthly',
            refId: `${unit.id}:${from}`,
          };
        }),
      );
      await recordAudit(tx, {
        actorLabel: 'system',
        action: 'reports.monthly.sent',
        entityType: 'unit',
        entityId: unit.id,
        unitId: unit.id,
        data: { from, to, recipients: recipients.length },
      });
    });
  };
  return { handlers, schedules };
}
