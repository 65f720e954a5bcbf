import { createHash, timingSafeEqual } from 'node:crypto';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../db/client.js';

/**
 * One Prometheus registry per app (two apps in one process never share figures): request counts and
 * latency per route, Node's default process metrics (event-loop lag, GC, memory), and figures read
 * from the database at scrape time (job queue depth and age, notification failures per channel).
 */
export interface Metrics {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  duration: Histogram<'method' | 'route'>;
}

export function createMetrics(db: Db): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method and route pattern.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'jobs',
    help: 'Jobs in the queue table, by status.',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await db.query<{ status: string; n: number }>(
        `SELECT status, count(*)::int AS n FROM jobs GROUP BY status`,
      );
      for (const r of rows) this.set({ status: r.status }, r.n);
    },
  });
  new Gauge({
    name: 'jobs_oldest_queued_age_seconds',
    help: 'Age of the oldest job that is due and still queued (0 when none).',
    registers: [registry],
    async collect() {
      const row = await db.one<{ age: number | null }>(
        `SELECT extract(epoch FROM now() - min(run_at))::float8 AS age FROM jobs WHERE status = 'queued' AND run_at <= now()`,
      );
      this.set(Math.max(0, row?.age ?? 0));
    },
  });
  new Gauge({
    name: 'notifications_failed',
    help: 'Notifications whose delivery failed for good, by channel.',
    labelNames: ['channel'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await db.query<{ channel: string; n: number }>(
        `SELECT channel, count(*)::int AS n FROM notifications WHERE status = 'failed' GROUP BY channel`,
      );
      for (const r of rows) this.set({ channel: r.channel }, r.n);
    },
  });
  return { registry, requests, duration };
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
export function metricsAccess(opts: {
  token?: string;
  ip: string;
  authorization?: string;
  forwarded: boolean;
}): 'ok' | 'unauthorized' | 'forbidden' {
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
