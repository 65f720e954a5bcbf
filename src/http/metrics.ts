import { createHash, timingSafeEqual } from 'node:crypto';

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

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 addresses. */
export function isLoopback(ip: string): boolean {
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4) || ip === '::1' || /^0*:0*:0*:0*:0*:0*:0*:0*1$/.test(ip);
}

/**
 * Who may read /metrics. With METRICS_TOKEN set: a request carrying `Authorization: Bearer <token>`
 * (compared in constant time), from anywhere. Without it: only requests from a loopback address that
 * did not come through a proxy (a reverse proxy on the same machine connects from 127.0.0.1 too, so a
 * request carrying X-Forwarded-For, Forwarded or X-Real-IP counts as one from outside).
 */
export function metricsAccess(opts: { token?: string; ip: string; authorization?: string; forwarded: boolean }): 'ok' | 'unauthorized' | 'forbidden' {
  if (opts.token) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(opts.authorization ?? '');
    if (!m) return 'unauthorized';
    // Hashing first makes both sides the same length, so the comparison time says nothing about the token.
    const want = createHash('sha256').update(opts.token).digest();
    const got = createHash('sha256').update(m[1]).digest();
    return timingSafeEqual(want, got) ? 'ok' : 'unauthorized';
  }
  return isLoopback(opts.ip) && !opts.forwarded ? 'ok' : 'forbidden';
}
