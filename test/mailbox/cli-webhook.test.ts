import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/commands.js';
import { modules } from '../../src/modules/index.js';
import { signWebhook } from '../../src/platform/notify/channels.js';
import { enqueueDueSchedules } from '../../src/platform/jobs/queue.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { fileReport } from './helpers.js';

describe(`mailbox: configuration commands and SMS/Zalo webhooks (${testDbKind()})`, () => {
  let t: TestApp;
  let server: http.Server;
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  let url = '';
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    url = `http://127.0.0.1:${port}/hook`;
    // the gateway on this machine is allowed explicitly, as an operator would (internal targets are refused otherwise)
    t = await testApp({ env: { OUTBOUND_ALLOW_HOSTS: `127.0.0.1:${port}` } });
    await t.db.query(
      // a gateway that also takes mailbox.sms: the older events carry the phone only to such endpoints (issue 16)
      `INSERT INTO webhook_endpoints (name, url, secret, events) VALUES ('sms', $1, 's3cret', '{mailbox.received,mailbox.answered,mailbox.sms}')`,
      [url],
    );
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await t.close();
  });
  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const code = await runCommand(t.deps, modules, argv, (l) => out.push(l));
    return { code, out: out.join('\n') };
  };

  it('checks the daily figures against the reports and recounts them after an import that bypassed the triggers', async () => {
    expect(await run('mailbox-rollup')).toEqual({ code: 0, out: 'daily figures match the reports' });
    // a bulk import with triggers off (as the benchmark loads a million reports) leaves the daily figures behind
    await t.db.tx(async (tx) => {
      await tx.query(`SET LOCAL session_replication_role = replica`);
      await tx.query(
        `UPDATE mailbox_reports SET received_at = received_at - interval '40 days' WHERE id = (SELECT min(id) FROM mailbox_reports)`,
      );
    });
    const check = await run('mailbox-rollup');
    expect(check.code).toBe(1);
    expect(check.out).toMatch(/^\d+ daily figure row\(s\) differ from the reports/);
    expect((await run('mailbox-rollup', '--rebuild')).out).toMatch(/recounted from the reports \([1-9]\d* row/);
    expect(await run('mailbox-rollup')).toEqual({ code: 0, out: 'daily figures match the reports' });
    expect(
      (await t.db.one<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'mailbox.rollup.rebuild'`,
      ))!.n,
    ).toBe(1);
  });

  it('adds a category with its handling time, a routing rule and a holiday from the command line', async () => {
    expect(
      (
        await run(
          'mailbox-category',
          '--code',
          'cay-xanh',
          '--name',
          'Cây xanh',
          '--name-en',
          'Street trees',
          '--days',
          '3',
        )
      ).code,
    ).toBe(0);
    const unit = (await t.db.one<{ id: number }>(`SELECT id FROM units WHERE code = '19815'`))!.id;
    expect((await run('mailbox-route', '--unit', '19815', '--agency', 'HUE-SXD', '--category', 'cay-xanh')).code).toBe(
      0,
    );
    expect((await run('mailbox-route', '--unit', 'nowhere', '--agency', 'HUE-SXD')).code).toBe(2);
    // two working days from now become holidays: the deadline moves past them
    const cat = (await t.db.one<{ id: number }>(`SELECT id FROM mailbox_categories WHERE code = 'cay-xanh'`))!.id;
    const form = await t.client().get('/mailbox/new');
    expect(form.text).toContain('Cây xanh');
    const c = t.client({ ip: '192.0.2.50' });
    const before = await fileReport(c, {
      category: String(cat),
      unit: String(unit),
      title: 'Cành cây sắp gãy',
      description: 'Cành cây lớn sắp gãy trên đường An Cựu.',
    });
    const d1 = (await t.db.one<{ d: Date; agency: string }>(
      `SELECT r.deadline_at AS d, a.code AS agency FROM mailbox_reports r JOIN agencies a ON a.id = r.agency_id WHERE r.code = $1`,
      [before.code],
    ))!;
    expect(d1.agency).toBe('HUE-SXD');
    const day = new Date(d1.d).toISOString().slice(0, 10);
    expect((await run('mailbox-holiday', '--date', day, '--name', 'Ngày nghỉ thử')).code).toBe(0);
    const after = await fileReport(c, {
      category: String(cat),
      unit: String(unit),
      title: 'Cành cây sắp gãy 2',
      description: 'Cành cây lớn thứ hai sắp gãy trên đường An Cựu.',
    });
    const d2 = (await t.db.one<{ d: Date }>(`SELECT deadline_at AS d FROM mailbox_reports WHERE code = $1`, [
      after.code,
    ]))!.d;
    expect(new Date(d2).getTime()).toBeGreaterThan(new Date(d1.d).getTime());
    expect((await run('mailbox-settings', '--reopen-days', '10')).out).toContain('reopen-days 10');
    const bad = await run('mailbox-settings', '--reopen-days', 'x');
    expect(bad.code).toBe(2);
    expect(bad.out).toContain('--reopen-days: Enter a number of days from 1 to 3650.');
  });

  it('sends a signed webhook with the phone number for SMS gateways when a report arrives', async () => {
    const c = t.client({ ip: '192.0.2.51' });
    const unit = (await t.db.one<{ id: number }>(`SELECT id FROM units WHERE code = '19753'`))!.id;
    const cat = (await t.db.one<{ id: number }>(`SELECT id FROM mailbox_categories WHERE code = 'giao-thong'`))!.id;
    const r = await fileReport(c, {
      category: String(cat),
      unit: String(unit),
      title: 'Biển báo bị che khuất',
      description: 'Cây che khuất biển báo giao thông ở ngã tư.',
      phone: '0905123456',
    });
    await t.drainJobs();
    const hook = received.find((h) => h.body.includes(r.code))!;
    expect(hook.headers['x-caunoi-event']).toBe('mailbox.received');
    expect(hook.headers['x-caunoi-signature']).toBe(
      signWebhook('s3cret', String(hook.headers['x-caunoi-timestamp']), hook.body),
    );
    const payload = JSON.parse(hook.body);
    expect(payload.data.phone).toBe('0905123456');
    expect(payload.data.url).toMatch(/^http:\/\/test\.local\/mailbox\/s\//);
  });

  it('runs the deadline and retention jobs from their schedules', async () => {
    const c = t.client({ ip: '192.0.2.52' });
    const unit = (await t.db.one<{ id: number }>(`SELECT id FROM units WHERE code = '19753'`))!.id;
    const cat = (await t.db.one<{ id: number }>(`SELECT id FROM mailbox_categories WHERE code = 'giao-thong'`))!.id;
    const r = await fileReport(c, {
      category: String(cat),
      unit: String(unit),
      title: 'Đèn tín hiệu hỏng',
      description: 'Đèn tín hiệu ở ngã tư bị hỏng từ hôm qua.',
    });
    await t.db.query(`UPDATE mailbox_reports SET deadline_at = now() - interval '1 day' WHERE code = $1`, [r.code]);
    // two days from now both schedules (hourly deadlines, nightly retention) are due
    expect(await enqueueDueSchedules(t.db, t.deps.jobs, new Date(Date.now() + 2 * 86400_000))).toBeGreaterThanOrEqual(
      2,
    );
    await t.db.query(`UPDATE jobs SET run_at = now() WHERE type LIKE 'mailbox.%' AND status = 'queued'`);
    await t.drainJobs();
    const jobs = await t.db.query<{ type: string; status: string }>(
      `SELECT type, status FROM jobs WHERE type IN ('mailbox.deadlines', 'mailbox.retention')`,
    );
    expect(jobs.map((j) => j.type).sort()).toEqual(['mailbox.deadlines', 'mailbox.retention']);
    expect(jobs.every((j) => j.status === 'done')).toBe(true);
    const ev = await t.db.query<{ kind: string }>(
      `SELECT e.kind FROM mailbox_events e JOIN mailbox_reports m ON m.id = e.report_id WHERE m.code = $1`,
      [r.code],
    );
    expect(ev.map((e) => e.kind)).toContain('escalated');
  });
});
