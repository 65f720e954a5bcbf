/**
 * Charts drawn on the server as SVG: no JavaScript, no inline styles (the CSP forbids them), a
 * title and description for screen readers, and the same figures in a table beside each chart.
 */
import type { Child } from 'hono/jsx';

export interface ChartRow {
  label: string;
  value: number | null;
  /** the value as the table shows it */
  display: string;
}

const BAR = '#0b57d0';
const BAR_LOW = '#b3261e';
const TEXT = '#1b1f24';
const AXIS = '#8c959f';

function describe(
  rows: ChartRow[],
  label: string,
  template: (v: { label: string; max: string; top: string; min: string; bottom: string }) => string,
): string {
  const withValues = rows.filter((r) => r.value != null);
  if (withValues.length === 0) return label;
  const top = withValues.reduce((a, b) => (b.value! > a.value! ? b : a));
  const bottom = withValues.reduce((a, b) => (b.value! < a.value! ? b : a));
  return template({ label, max: top.display, top: top.label, min: bottom.display, bottom: bottom.label });
}

export interface ChartProps {
  id: string;
  title: string;
  rows: ChartRow[];
  /** fixed maximum (1 for rates), else the largest value */
  max?: number;
  /** mark the smallest value (the unit that lags) */
  markLowest?: boolean;
  summary: (v: { label: string; max: string; top: string; min: string; bottom: string }) => string;
  emptyText: string;
}

/**
 * Width of a text in SVG units, over-estimated (0.62 em a character; system fonts are narrower): labels are placed
 * from this, so that two never overlap and none runs past the chart's edge.
 */
export const textWidth = (s: string, fontSize: number) => Math.ceil([...s].length * fontSize * 0.62);

/** Every how many slots a label may be written so that neighbours keep a gap. */
export function labelStride(labels: string[], slot: number, fontSize: number, gap = 4): number {
  const widest = Math.max(0, ...labels.map((l) => textWidth(l, fontSize)));
  return Math.max(1, Math.ceil((widest + gap) / slot));
}

/** A label cut to fit `width` (with an ellipsis); the whole text stays in the data table and the title. */
export function fitText(s: string, width: number, fontSize: number): string {
  if (textWidth(s, fontSize) <= width) return s;
  const chars = [...s];
  const keep = Math.max(1, Math.floor(width / (fontSize * 0.62)) - 1);
  return `${chars.slice(0, keep).join('').trimEnd()}…`;
}

/** Horizontal bars, one per row: the label above its bar, the value after it. Reads well at 360 px. */
export function BarChart(p: ChartProps) {
  const W = 480;
  const ROW = 36;
  const rows = p.rows;
  if (rows.length === 0 || rows.every((r) => r.value == null)) return <p class="chart-empty">{p.emptyText}</p>;
  const max = p.max ?? Math.max(1, ...rows.map((r) => r.value ?? 0));
  const values = rows.filter((r) => r.value != null).map((r) => r.value!);
  // the unit that lags, when there is one (not when every unit has the same value)
  const lowest = p.markLowest && new Set(values).size > 1 ? Math.min(...values) : null;
  const H = rows.length * ROW + 6;
  const barMax = W - 90;
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${W} ${H}`}
      width={W}
      height={H}
      role="img"
      aria-labelledby={`${p.id}-t ${p.id}-d`}
      xmlns="http://www.w3.org/2000/svg"
      font-family="system-ui, sans-serif"
    >
      <title id={`${p.id}-t`}>{p.title}</title>
      <desc id={`${p.id}-d`}>{describe(rows, p.title, p.summary)}</desc>
      {rows.map((r, i) => {
        const y = i * ROW;
        const w = r.value == null ? 0 : Math.max(r.value > 0 ? 2 : 0, Math.round((r.value / max) * barMax));
        return (
          <g>
            <text x="0" y={y + 13} font-size="13" fill={TEXT}>
              {r.label === fitText(r.label, W, 13) ? (
                r.label
              ) : (
                <>
                  <title>{r.label}</title>
                  {fitText(r.label, W, 13)}
                </>
              )}
            </text>
            <rect
              x="0"
              y={y + 18}
              width={w}
              height="12"
              rx="2"
              fill={lowest != null && r.value === lowest ? BAR_LOW : BAR}
            />
            {w + 6 + textWidth(r.display, 12) <= W ? (
              <text x={w + 6} y={y + 29} font-size="12" fill={TEXT}>
                {r.display}
              </text>
            ) : (
              <text x={w - 4} y={y + 28} font-size="11" text-anchor="end" fill="#fff">
                {r.display}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

/** Vertical columns over time, the value above each column when there is room. */
export function ColumnChart(p: ChartProps) {
  const rows = p.rows;
  if (rows.length === 0 || rows.every((r) => r.value == null)) return <p class="chart-empty">{p.emptyText}</p>;
  const W = 480;
  const H = 200;
  const top = 18;
  const bottom = 24;
  const plotH = H - top - bottom;
  const max = p.max ?? Math.max(1, ...rows.map((r) => r.value ?? 0));
  const slot = W / rows.length;
  const bw = Math.max(3, slot * 0.7);
  // a label every `every` columns, and a value above a column only where it fits between its neighbours' values
  const every = labelStride(
    rows.map((r) => r.label),
    slot,
    11,
  );
  const valueEvery = labelStride(
    rows.map((r) => r.display),
    slot,
    11,
  );
  // a centred label at the first or last column is kept inside the chart; one that would then touch the label
  // before it is left out (the table has every value)
  const place = (show: (i: number) => boolean, text: (r: ChartRow) => string) => {
    const at = new Map<number, string>();
    let end = -Infinity;
    rows.forEach((r, i) => {
      if (!show(i)) return;
      const half = textWidth(text(r), 11) / 2;
      const cx = Math.min(W - half, Math.max(half, i * slot + slot / 2));
      if (cx - half < end + 4) return;
      at.set(i, cx.toFixed(1));
      end = cx + half;
    });
    return at;
  };
  const labelX = place(
    (i) => i % every === 0,
    (r) => r.label,
  );
  const valueX = place(
    (i) => valueEvery === 1 && rows[i].value != null,
    (r) => r.display,
  );
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${W} ${H}`}
      width={W}
      height={H}
      role="img"
      aria-labelledby={`${p.id}-t ${p.id}-d`}
      xmlns="http://www.w3.org/2000/svg"
      font-family="system-ui, sans-serif"
    >
      <title id={`${p.id}-t`}>{p.title}</title>
      <desc id={`${p.id}-d`}>{describe(rows, p.title, p.summary)}</desc>
      <line x1="0" y1={top + plotH} x2={W} y2={top + plotH} stroke={AXIS} stroke-width="1" />
      {rows.map((r, i) => {
        const h = r.value == null ? 0 : Math.round((r.value / max) * plotH);
        const x = i * slot + (slot - bw) / 2;
        return (
          <g>
            <rect x={x.toFixed(1)} y={top + plotH - h} width={bw.toFixed(1)} height={h} fill={BAR} />
            {valueX.has(i) ? (
              <text x={valueX.get(i)} y={top + plotH - h - 4} font-size="11" text-anchor="middle" fill={TEXT}>
                {r.display}
              </text>
            ) : null}
            {labelX.has(i) ? (
              <text x={labelX.get(i)} y={H - 8} font-size="11" text-anchor="middle" fill={TEXT}>
                {r.label}
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}

/** A chart and its data table side by side (stacked on a phone). */
export function ChartWithTable({ chart, table, caption }: { chart: Child; table: Child; caption: string }) {
  return (
    <figure class="chart-pair">
      <figcaption>{caption}</figcaption>
      <div class="chart-box">{chart}</div>
      <div class="table-scroll chart-data">{table}</div>
    </figure>
  );
}
