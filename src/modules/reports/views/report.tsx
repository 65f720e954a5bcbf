import { vnDate } from '../../../platform/figures.js';
import type { PageCtx } from '../../../http/context.js';
import type { FieldErrors, FormValues } from '../../../http/forms.js';
import { Csrf, ErrorSummary, Field, Notice } from '../../../http/views/components.js';
import { Document, Layout } from '../../../http/views/layout.js';
import type { PickerState } from '../../../http/unit-picker.js';
import { UnitPicker } from '../../../http/views/unit-picker.js';
import { formatDateTime, type Locale } from '../../../platform/i18n/index.js';
import { rt } from '../i18n.js';
import { change, formatValue, METRICS, metricById, SECTIONS, TREND_METRICS, valueOf } from '../service/metrics.js';
import { bucketLabel, periodLabel } from '../service/period.js';
import type { RunRow, ReportUnit } from '../repo.js';
import { periodOf, type ReportData } from '../service.js';
import { agencyTable, categoryTable, childrenTable, displayCell, type Table } from '../service/tables.js';
import { BarChart, ChartWithTable, ColumnChart, type ChartRow } from './charts.js';

export const CSS_HREF = '/staff/reports/assets/reports.css';
const head = <link rel="stylesheet" href={CSS_HREF} />;

type T = ReturnType<typeof rt.t>;

export interface Sort {
  key: string;
  dir: 'asc' | 'desc';
}

/** The query string that names this report: unit and dates, or a finished run. */
export type ReportRef = { unit: string; from: string; to: string } | { run: number };

export function refQuery(ref: ReportRef, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams();
  if ('run' in ref) p.set('run', String(ref.run));
  else {
    p.set('unit', ref.unit);
    p.set('from', ref.from);
    p.set('to', ref.to);
  }
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  return p.toString();
}

const unitName = (u: { name: string; nameEn: string | null }, locale: Locale) =>
  locale === 'en' && u.nameEn ? u.nameEn : u.name;

function summary(t: T) {
  return (v: { label: string; max: string; top: string; min: string; bottom: string }) => t('chart.summary', v);
}

function DataTable({
  table,
  locale,
  caption,
  sortable,
}: {
  table: Table;
  locale: Locale;
  caption?: string;
  sortable?: { sort?: Sort; href: (key: string, dir: 'asc' | 'desc') => string; t: T };
}) {
  return (
    <table class="report-table" data-table={table.key}>
      {caption ? <caption>{caption}</caption> : null}
      <thead>
        <tr>
          {table.columns.map((c) => {
            if (!sortable) return <th scope="col">{c.label}</th>;
            const active = sortable.sort?.key === c.key;
            const nextDir = active && sortable.sort?.dir === 'desc' ? 'asc' : c.text ? 'asc' : 'desc';
            return (
              <th
                scope="col"
                aria-sort={active ? (sortable.sort!.dir === 'asc' ? 'ascending' : 'descending') : undefined}
              >
                <a
                  href={sortable.href(c.key, active ? nextDir : c.text ? 'asc' : 'desc')}
                  title={sortable.t('table.sortBy', { col: c.label })}
                >
                  {c.label}
                  {active ? (
                    <span class="sort-mark">
                      {' '}
                      {sortable.sort!.dir === 'asc' ? '▲' : '▼'}
                      <span class="sr-only">
                        {' '}
                        {sortable.t(sortable.sort!.dir === 'asc' ? 'table.sortedAsc' : 'table.sortedDesc')}
                      </span>
                    </span>
                  ) : null}
                </a>
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>
        {table.rows.map((row, r) => (
          <tr>
            {row.map((v, i) =>
              i === 0 ? (
                <th scope="row">{displayCell(locale, v, undefined)}</th>
              ) : (
                <td class={table.columns[i]?.text ? '' : 'num'}>
                  {displayCell(
                    locale,
                    v,
                    table.columns[i]?.text ? undefined : (table.rowFormats?.[r] ?? table.columns[i]?.format),
                  )}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
      {table.footer ? (
        <tfoot>
          <tr>
            {table.footer.map((v, i) =>
              i === 0 ? (
                <th scope="row">{displayCell(locale, v, undefined)}</th>
              ) : (
                <td class="num">{displayCell(locale, v, table.columns[i]?.format)}</td>
              ),
            )}
          </tr>
        </tfoot>
      ) : null}
    </table>
  );
}

function SectionTables({ r, locale, t }: { r: ReportData; locale: Locale; t: T }) {
  return (
    <>
      {SECTIONS.map((s) => {
        const metrics = METRICS.filter((m) => m.section === s);
        const present = metrics.some((m) => r.figures[m.source] || r.previous[m.source]);
        return (
          <section class="report-section" id={`s-${s}`}>
            <h2>{t(`section.${s}`)}</h2>
            {!present ? (
              <p class="muted">{t('section.unavailable')}</p>
            ) : (
              <table class="report-table" data-table={`summary-${s}`}>
                <thead>
                  <tr>
                    <th scope="col">{t('table.figure')}</th>
                    <th scope="col">{t('period.current')}</th>
                    <th scope="col">{t('period.previous')}</th>
                    <th scope="col">{t('period.change')}</th>
                  </tr>
                </thead>
                <tbody>
                  {metrics.map((m) => {
                    const cur = valueOf(r.figures, m);
                    const prev = valueOf(r.previous, m);
                    const ch = change(m, cur, prev, locale);
                    return (
                      <tr data-metric={m.id}>
                        <th scope="row">{t(`metric.${m.id}` as Parameters<T>[0])}</th>
                        <td class="num">{formatValue(locale, m.format, cur)}</td>
                        <td class="num">{formatValue(locale, m.format, prev)}</td>
                        <td class={`num change ${ch.good == null ? '' : ch.good ? 'good' : 'bad'}`}>
                          {ch.direction === 'up' ? '▲ ' : ch.direction === 'down' ? '▼ ' : ''}
                          {ch.text}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
          </section>
        );
      })}
    </>
  );
}

/** Everything below the form: used by the live page, a finished long report and the print page. */
export function ReportBody({
  r,
  locale,
  sort,
  sortHref,
  print,
}: {
  r: ReportData;
  locale: Locale;
  sort?: Sort;
  sortHref?: (key: string, dir: 'asc' | 'desc') => string;
  print?: boolean;
}) {
  const t = rt.t(locale);
  const children = childrenTable(r, locale, sort);
  const onTime = metricById.get('mailbox.onTimeRate')!;
  const childRows: ChartRow[] = r.children.map((c) => {
    const v = valueOf(c.figures, onTime);
    return { label: unitName(c.unit, locale), value: v, display: formatValue(locale, 'percent', v) };
  });
  const cats = categoryTable(r, locale);
  const agencies = agencyTable(r, locale);
  const catRows: ChartRow[] = (r.figures.mailbox?.byCategory ?? []).map((b) => {
    const v = b.values.received ?? Object.values(b.values)[0] ?? null;
    return { label: b.label, value: v, display: formatValue(locale, 'count', v) };
  });
  return (
    <div class="report-body">
      <SectionTables r={r} locale={locale} t={t} />

      {r.partial ? null : (
        <section class="report-section" id="s-children">
          <h2>{t('children.title')}</h2>
          {r.children.length === 0 ? (
            <p class="muted">{t('children.none')}</p>
          ) : (
            <>
              {print ? null : <p class="hint no-print">{t('children.intro')}</p>}
              <div class="table-scroll">
                <DataTable
                  table={children}
                  locale={locale}
                  sortable={sortHref && !print ? { sort, href: sortHref, t } : undefined}
                />
              </div>
              {r.figures.mailbox || r.children.some((c) => c.figures.mailbox) ? (
                <ChartWithTable
                  caption={t('children.chart')}
                  chart={
                    <BarChart
                      id="chart-children"
                      title={t('children.chart')}
                      rows={childRows}
                      max={1}
                      markLowest
                      summary={summary(t)}
                      emptyText={t('chart.empty')}
                    />
                  }
                  table={
                    <DataTable
                      locale={locale}
                      caption={t('chart.dataTable')}
                      table={{
                        key: 'children',
                        title: '',
                        columns: [
                          { key: 'unit', label: t('table.unit'), text: true },
                          { key: 'rate', label: t('metric.mailbox.onTimeRate'), format: 'percent' },
                        ],
                        rows: childRows.map((c) => [c.label, c.value]),
                      }}
                    />
                  }
                />
              ) : null}
            </>
          )}
        </section>
      )}

      {r.trend.length > 1 ? (
        <section class="report-section" id="s-trend">
          <h2>{t('trend.title')}</h2>
          {TREND_METRICS.map((id) => {
            const m = metricById.get(id)!;
            if (!r.figures[m.source]) return null;
            const label = t(`metric.${id}` as Parameters<T>[0]);
            const rows: ChartRow[] = r.trend.map((b) => {
              const v = valueOf(b.figures, m);
              return {
                label: bucketLabel(periodOf(b.period), locale),
                value: v,
                display: formatValue(locale, m.format, v),
              };
            });
            return (
              <ChartWithTable
                caption={t('trend.chart', { metric: label })}
                chart={
                  <ColumnChart
                    id={`chart-trend-${id.replace('.', '-')}`}
                    title={t('trend.chart', { metric: label })}
                    rows={rows}
                    summary={summary(t)}
                    emptyText={t('chart.empty')}
                  />
                }
                table={
                  <DataTable
                    locale={locale}
                    caption={t('chart.dataTable')}
                    table={{
                      key: 'trend',
                      title: '',
                      columns: [
                        { key: 'p', label: t('table.period'), text: true },
                        { key: id, label, format: m.format },
                      ],
                      rows: rows.map((x) => [x.label, x.value]),
                    }}
                  />
                }
              />
            );
          })}
        </section>
      ) : null}

      {r.figures.mailbox ? (
        <section class="report-section" id="s-breakdowns">
          <h2>{t('mailbox.byCategory')}</h2>
          {cats.rows.length === 0 ? (
            <p class="muted">{t('chart.empty')}</p>
          ) : (
            <ChartWithTable
              caption={t('mailbox.byCategory')}
              chart={
                <BarChart
                  id="chart-category"
                  title={t('mailbox.byCategory')}
                  rows={catRows}
                  summary={summary(t)}
                  emptyText={t('chart.empty')}
                />
              }
              table={<DataTable table={cats} locale={locale} caption={t('chart.dataTable')} />}
            />
          )}
          <h2>{t('mailbox.byAgency')}</h2>
          {agencies.rows.length === 0 ? (
            <p class="muted">{t('chart.empty')}</p>
          ) : (
            <div class="table-scroll">
              <DataTable table={agencies} locale={locale} />
            </div>
          )}
        </section>
      ) : null}
    </div>
  );
}

export function ReportHeader({ r, locale }: { r: ReportData; locale: Locale }) {
  const t = rt.t(locale);
  const p = periodOf(r.period);
  return (
    <>
      <p class="report-period">
        <strong>{periodLabel(p, locale)}</strong> ·{' '}
        {t('period.comparedWith', { label: periodLabel(periodOf(r.previousPeriod), locale) })}
      </p>
      <p class="muted small">{t('period.generated', { at: formatDateTime(locale, r.generatedAt) })}</p>
      {r.unavailable.length ? (
        <Notice kind="warning">
          {t('section.unavailable')} ({r.unavailable.join(', ')})
        </Notice>
      ) : null}
    </>
  );
}

export interface FormProps {
  ctx: PageCtx;
  units: ReportUnit[];
  values: FormValues;
  errors?: FieldErrors;
  /** the unit as a picker (src/http/views/unit-picker.tsx) instead of the list of every unit in scope */
  picker?: PickerState;
}

function quickLinks(values: FormValues, today: string, t: T) {
  const y = Number(today.slice(0, 4));
  const mo = Number(today.slice(5, 7));
  const q = Math.floor((mo - 1) / 3) + 1;
  const lm = mo === 1 ? `${y - 1}-12` : `${y}-${String(mo - 1).padStart(2, '0')}`;
  const lq = q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`;
  const unit = values.unit ? `unit=${encodeURIComponent(values.unit)}&` : '';
  const items: [string, string][] = [
    [t('quick.thisMonth'), `period=${today.slice(0, 7)}`],
    [t('quick.lastMonth'), `period=${lm}`],
    [t('quick.thisQuarter'), `period=${y}-Q${q}`],
    [t('quick.lastQuarter'), `period=${lq}`],
    [t('quick.thisYear'), `period=${y}`],
    [t('quick.lastYear'), `period=${y - 1}`],
    [t('quick.threeYears'), `from=${y - 2}-01-01&to=${y}-12-31`],
  ];
  return (
    <p class="quick-links no-print">
      <span>{t('quick.title')}:</span>{' '}
      {items.map(([label, qs]) => (
        <>
          <a href={`/staff/reports?${unit}${qs}`}>{label}</a>{' '}
        </>
      ))}
    </p>
  );
}

export function ReportForm({ ctx, units, values, errors, picker }: FormProps) {
  const t = rt.t(ctx.locale);
  const err = errors ?? {};
  const current = values.unit ?? '';
  return (
    <form method="get" action="/staff/reports" class="report-form no-print" novalidate>
      {picker ? (
        <UnitPicker
          ctx={ctx}
          state={picker}
          label={t('form.unit')}
          required
          errors={err}
          search={{ method: 'get', action: '/staff/reports' }}
        />
      ) : null}
      <div class="form-row">
        {picker ? null : (
          <div class={`field${err.unit ? ' has-error' : ''}`}>
            <label for="f-unit">{t('form.unit')}</label>
            <select
              id="f-unit"
              name="unit"
              aria-invalid={err.unit ? 'true' : undefined}
              aria-describedby={err.unit ? 'f-unit-err' : undefined}
            >
              {units.some((u) => u.code === current || String(u.id) === current) || !current ? null : (
                <option value={current} selected>
                  {current}
                </option>
              )}
              {units.map((u) => (
                <option value={u.code} selected={u.code === current}>
                  {'— '.repeat(Math.max(0, u.depth - (units[0]?.depth ?? 0)))}
                  {ctx.locale === 'en' && u.name_en ? u.name_en : u.full_name}
                </option>
              ))}
            </select>
            {err.unit ? (
              <p class="error" id="f-unit-err" role="alert">
                {err.unit}
              </p>
            ) : null}
          </div>
        )}
        <Field name="from" label={t('form.from')} type="date" values={values} errors={err} hint={t('form.dateHint')} />
        <Field name="to" label={t('form.to')} type="date" values={values} errors={err} />
        {err.period ? <Field name="period" label={t('form.period')} values={values} errors={err} /> : null}
      </div>
      <button type="submit">{t('form.show')}</button>
      {quickLinks(values, vnDate(new Date()), t)}
    </form>
  );
}

function ExportLinks({ reportRef: ref, t, office }: { reportRef: ReportRef; t: T; office?: string }) {
  const tables: [string, Parameters<T>[0]][] = [
    ['summary', 'export.table.summary'],
    ['children', 'export.table.children'],
    ['category', 'export.table.category'],
    ['agency', 'export.table.agency'],
    ['trend', 'export.table.trend'],
  ];
  return (
    <nav class="report-exports no-print" aria-label={t('export.title')}>
      <strong>{t('export.title')}:</strong> <a href={`/staff/reports/print?${refQuery(ref)}`}>{t('export.print')}</a>
      {' · '}
      <a href={`/staff/reports/export.xlsx?${refQuery(ref)}`}>{t('export.xlsx')}</a>
      {' · '}
      {t('export.csv')}:{' '}
      {tables.map(([k, label], i) => (
        <>
          {i ? ', ' : ''}
          <a href={`/staff/reports/export.csv?${refQuery(ref, { table: k })}`}>{t(label)}</a>
        </>
      ))}
      <details class="pdf-export">
        <summary>{t('pdf.link')}</summary>
        <form method="get" action="/staff/reports/export.pdf" class="stack">
          {Object.entries('run' in ref ? { run: String(ref.run) } : { unit: ref.unit, from: ref.from, to: ref.to }).map(
            ([k, v]) => (
              <input type="hidden" name={k} value={v} />
            ),
          )}
          <Field name="office" label={t('pdf.office')} maxLength={200} value={office ?? ''} />
          <Field name="number" label={t('pdf.number')} hint={t('pdf.numberHint')} maxLength={50} />
          <button type="submit" class="secondary">
            PDF
          </button>
        </form>
      </details>
    </nav>
  );
}

export interface PageProps {
  ctx: PageCtx;
  units: ReportUnit[];
  values: FormValues;
  errors?: FieldErrors;
  report?: ReportData;
  reportRef?: ReportRef;
  sort?: Sort;
  /** a period too long to compute live: offer the background job */
  longRun?: { unit: string; from: string; to: string; message: string };
  runs?: (RunRow & { unitName: string })[];
  picker?: PickerState;
}

export function ReportPage(p: PageProps) {
  const { ctx } = p;
  const t = rt.t(ctx.locale);
  const r = p.report;
  const title = r ? t('page.heading', { unit: unitName(r.unit, ctx.locale) }) : t('page.title');
  const sortHref = (key: string, dir: 'asc' | 'desc') =>
    `/staff/reports?${refQuery(p.reportRef!, { sort: key, dir })}#s-children`;
  return (
    <Layout ctx={ctx} title={title} staff head={head}>
      <h1>{title}</h1>
      <p class="muted">
        {t('page.intro')}{' '}
        <a href="/staff/reports/mail" class="no-print">
          {t('mail.link')}
        </a>
      </p>
      <ErrorSummary errors={p.errors} title={t('reports.errorsTitle')} />
      <ReportForm ctx={ctx} units={p.units} values={p.values} errors={p.errors} picker={p.picker} />
      {p.longRun ? (
        <div class="notice info" role="status">
          <p>{p.longRun.message}</p>
          <form method="post" action="/staff/reports/runs">
            <Csrf token={ctx.csrf} />
            <input type="hidden" name="unit" value={p.longRun.unit} />
            <input type="hidden" name="from" value={p.longRun.from} />
            <input type="hidden" name="to" value={p.longRun.to} />
            <button type="submit">{t('form.show')}</button>
          </form>
        </div>
      ) : null}
      {p.runs && p.runs.length ? (
        <details class="runs no-print">
          <summary>{t('run.list')}</summary>
          <ul>
            {p.runs.map((x) => (
              <li>
                <a href={`/staff/reports/runs/${x.id}`}>
                  {x.unitName},{' '}
                  {periodLabel(periodOf({ from: x.date_from, to: x.date_to, kind: 'custom' }), ctx.locale)}
                </a>{' '}
                — {t(`run.status.${x.status}`)}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {r && p.reportRef ? (
        <>
          <ReportHeader r={r} locale={ctx.locale} />
          {r.partial && 'unit' in p.reportRef ? (
            <div class="notice warning" role="status" id="partial">
              <p>{t('reports.partial')}</p>
              <form method="post" action="/staff/reports/runs">
                <Csrf token={ctx.csrf} />
                <input type="hidden" name="unit" value={p.reportRef.unit} />
                <input type="hidden" name="from" value={p.reportRef.from} />
                <input type="hidden" name="to" value={p.reportRef.to} />
                <button type="submit">{t('reports.partialRun')}</button>
              </form>
            </div>
          ) : null}
          <ExportLinks reportRef={p.reportRef} t={t} office={ctx.orgName} />
          <ReportBody r={r} locale={ctx.locale} sort={p.sort} sortHref={sortHref} />
        </>
      ) : null}
    </Layout>
  );
}

/** What the PDF's header says: who issues the report, its number, and where and when (today, Vietnam time). */
export interface OfficialHeader {
  office: string;
  number: string;
  place: string;
  /** YYYY-MM-DD */
  date: string;
}

function OfficialHeaderBlock({ h, locale }: { h: OfficialHeader; locale: Locale }) {
  const t = rt.t(locale);
  const [y, m, d] = h.date.split('-');
  return (
    <table class="official-header" role="presentation">
      <tr>
        <td class="oh-office">
          <p class="oh-name">{h.office}</p>
          <p class="oh-rule" aria-hidden="true">
            ———
          </p>
          <p class="oh-number">{t('pdf.numberLine', { number: h.number || '…' })}</p>
        </td>
        <td class="oh-country">
          <p class="oh-state">{t('pdf.country')}</p>
          <p class="oh-motto">{t('pdf.motto')}</p>
          <p class="oh-rule" aria-hidden="true">
            ———————
          </p>
          <p class="oh-date">{t('pdf.dateLine', { place: h.place, d, m, y })}</p>
        </td>
      </tr>
    </table>
  );
}

/** A standalone page laid out for A4: no menus, the report's tables and charts only. */
export function PrintPage({ ctx, r, official }: { ctx: PageCtx; r: ReportData; official?: OfficialHeader }) {
  const t = rt.t(ctx.locale);
  const title = t('print.title', {
    period: periodLabel(periodOf(r.period), ctx.locale),
    unit: unitName(r.unit, ctx.locale),
  });
  return (
    <Document lang={ctx.locale} title={title} bodyClass="print-page" head={<link rel="stylesheet" href={CSS_HREF} />}>
      <main class="a4">
        {official ? <OfficialHeaderBlock h={official} locale={ctx.locale} /> : <p class="org">{ctx.orgName}</p>}
        {official ? <p class="oh-kind">{t('pdf.kind')}</p> : null}
        <h1>{title}</h1>
        <ReportHeader r={r} locale={ctx.locale} />
        <p class="muted no-print">{t('print.note')}</p>
        <ReportBody r={r} locale={ctx.locale} print />
      </main>
    </Document>
  );
}

export function RunPage({
  ctx,
  run,
  unit,
  r,
  reportRef,
}: {
  ctx: PageCtx;
  run: RunRow;
  unit: ReportUnit;
  r?: ReportData;
  reportRef: ReportRef;
}) {
  const t = rt.t(ctx.locale);
  const period = periodLabel(periodOf({ from: run.date_from, to: run.date_to, kind: 'custom' }), ctx.locale);
  const name = ctx.locale === 'en' && unit.name_en ? unit.name_en : unit.full_name;
  const pending = run.status === 'queued' || run.status === 'running';
  const title = r ? t('page.heading', { unit: name }) : t('run.title');
  return (
    <Layout ctx={ctx} title={title} staff head={head} refresh={pending ? 5 : undefined}>
      <h1>{title}</h1>
      <p class="run-status" data-status={run.status}>
        {run.status === 'queued'
          ? t('run.queued', { period, unit: name })
          : run.status === 'running'
            ? t('run.running', { period, unit: name })
            : run.status === 'done'
              ? t('run.done')
              : null}
      </p>
      {run.status === 'failed' ? <Notice kind="error">{t('run.failed')}</Notice> : null}
      {r ? (
        <>
          <ReportHeader r={r} locale={ctx.locale} />
          <ExportLinks reportRef={reportRef} t={t} office={ctx.orgName} />
          <ReportBody r={r} locale={ctx.locale} />
        </>
      ) : null}
    </Layout>
  );
}

export function StaffSummary({ locale, r }: { locale: Locale; r: ReportData }) {
  const t = rt.t(locale);
  const get = (id: string) => valueOf(r.figures, metricById.get(id)!);
  return (
    <section class="reports-summary">
      <h2>{t('summary.title')}</h2>
      <p>
        {t('summary.line', {
          unit: unitName(r.unit, locale),
          period: periodLabel(periodOf(r.period), locale),
          received: formatValue(locale, 'count', get('mailbox.received')),
          onTime: formatValue(locale, 'percent', get('mailbox.onTimeRate')),
          claims: formatValue(locale, 'count', get('desk.claimsAnswered')),
        })}
      </p>
      <p>
        <a href={`/staff/reports?unit=${encodeURIComponent(r.unit.code)}&period=${r.period.from.slice(0, 7)}`}>
          {t('summary.open')}
        </a>
      </p>
    </section>
  );
}
