/** A minimal Prometheus text registry: counters and a latency histogram per route. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

const counters = new Map<string, number>();
const histo = new Map<string, { buckets: number[]; sum: number; count: number }>();

const labelStr = (labels: Record<string, string>) =>
  Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`).join(',');

export function inc(name: string, labels: Record<string, string> = {}, by = 1): void {
  const key = `${name}{${labelStr(labels)}}`;
  counters.set(key, (counters.get(key) ?? 0) + by);
}

export function observe(name: string, labels: Record<string, string>, seconds: number): void {
  const key = `${name}|${labelStr(labels)}`;
  let h = histo.get(key);
  if (!h) histo.set(key, (h = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 }));
  BUCKETS.forEach((b, i) => {
    if (seconds <= b) h!.buckets[i]++;
  });
  h.sum += seconds;
  h.count++;
}

export function renderMetrics(gauges: Record<string, number> = {}): string {
  const lines: string[] = [];
  for (const [k, v] of counters) lines.push(`${k} ${v}`);
  for (const [k, h] of histo) {
    const [name, labels] = k.split('|');
    const sep = labels ? ',' : '';
    BUCKETS.forEach((b, i) => lines.push(`${name}_bucket{${labels}${sep}le="${b}"} ${h.buckets[i]}`));
    lines.push(`${name}_bucket{${labels}${sep}le="+Inf"} ${h.count}`);
    lines.push(`${name}_sum{${labels}} ${h.sum}`);
    lines.push(`${name}_count{${labels}} ${h.count}`);
  }
  for (const [k, v] of Object.entries(gauges)) lines.push(`${k} ${v}`);
  const mem = process.memoryUsage();
  lines.push(`process_resident_memory_bytes ${mem.rss}`, `process_heap_used_bytes ${mem.heapUsed}`);
  return lines.join('\n') + '\n';
}
