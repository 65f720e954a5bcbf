/** The demo data gives a non-trivial report for the last twelve months, from every module. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/platform/auth/service.js';
import { localDate } from '../../src/platform/i18n/index.js';
import { addDays, addMonths } from '../../src/modules/reports/service/period.js';
import { testDbKind } from '../helpers/db.js';
import { testApp, type TestApp } from '../helpers/app.js';

describe(`reports over the demo data (${testDbKind()})`, () => {
  let t: TestApp;
  // what `npm start` does with the demo and no SMTP_URL: mail is kept in a folder, so statements count as delivered
  const outbox = mkdtempSync(path.join(tmpdir(), 'caunoi-outbox-'));
  beforeAll(async () => {
    t = await testApp({ env: { MAIL_OUTBOX: outbox } });
  });
  afterAll(async () => {
    await t.close();
    rmSync(outbox, { recursive: true, force: true });
  });

  it('shows figures from every module for the last twelve months, the page and the JSON alike', async () => {
    await t.drainJobs(); // the released statements go out to their lists
    const mail = readdirSync(outbox);
    const press = mail.find((f) => f.endsWith('-thoisu@trt.example.org.eml'));
    expect(press).toBeDefined();
    expect(readFileSync(path.join(outbox, press!), 'utf8')).toMatch(/^To: thoisu@trt\.example\.org$/m);
    const today = localDate(new Date());
    const from = addMonths(today.slice(0, 8) + '01', -11);
    const to = addDays(addMonths(today.slice(0, 8) + '01', 1), -1);
    const admin = (await t.db.one<{ id: number }>(`SELECT id FROM users WHERE email = 'admin@demo.local'`))!.id;
    const token = await createToken(t.db, admin, 'demo', 'test');
    const r = await t
      .client()
      .json(`/api/v1/reports?from=${from}&to=${to}`, { headers: { authorization: `Bearer ${token}` } });
    expect(r.status).toBe(200);
    const f = r.body.figures;
    const positive = (figures: Record<string, unknown>, names: string[]) => {
      for (const n of names) expect([n, figures[n]]).toEqual([n, expect.any(Number)]);
      for (const n of names) expect([n, (figures[n] as number) > 0]).toEqual([n, true]);
    };
    positive(f.mailbox, [
      'received',
      'accepted',
      'answered',
      'answeredOnTime',
      'onTimeRate',
      'medianHoursToAnswer',
      'overdueNow',
      'reopened',
      'ratingAverage',
    ]);
    expect(f.mailbox.byCategory.length).toBeGreaterThan(3);
    expect(f.mailbox.byAgency.length).toBeGreaterThan(3);
    positive(f.desk, [
      'articles',
      'videos',
      'factchecks',
      'claimsReceived',
      'clusters',
      'claimsAnswered',
      'medianHoursToAnswer',
    ]);
    positive(f.network, [
      'members',
      'activeMembers',
      'campaigns',
      'clicks',
      'reportedShares',
      'trainingAssigned',
      'trainingCompleted',
      'trainingPassRate',
    ]);
    positive(f.crisis, ['incidents', 'statements', 'deliveries', 'delivered', 'deliverySuccessRate']);
    expect(
      r.body.trend.filter((b: { figures: { mailbox: { received: number } } }) => b.figures.mailbox.received > 0).length,
    ).toBeGreaterThanOrEqual(6);
    expect(r.body.unavailable).toEqual([]);
    expect(r.body.unit.code).toBe('46');
    expect(r.body.trend).toHaveLength(12);
    const c = t.client();
    await c.signIn('admin@demo.local');
    const page = await c.get(`/staff/reports?from=${from}&to=${to}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Báo cáo: Thành phố Huế');
    expect(page.text).toContain(`<td class="num">${f.mailbox.received}</td>`);
  });
});
