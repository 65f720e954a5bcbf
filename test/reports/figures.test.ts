/**
 * Hand-counted fixtures through the real modules' figures (mailbox, desk, network), read by the
 * reports module: items crossing period boundaries, Vietnam time, retired units, reopened reports.
 * Rows are written straight into the modules' tables so that every timestamp is known.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPlatformDemo } from '../../src/platform/demo/seed.js';
import { createToken } from '../../src/platform/auth/service.js';
import { grantRole } from '../../src/platform/auth/repo.js';
import { createUser } from '../../src/platform/auth/service.js';
import { upsertUnit } from '../../src/platform/units/repo.js';
import { testDbKind } from '../helpers/db.js';
import { testApp, type TestApp } from '../helpers/app.js';

describe(`report figures from the real modules, hand-counted (${testDbKind()})`, () => {
  let t: TestApp;
  let auth: Record<string, string>;
  const u: Record<'T' | 'A' | 'B' | 'C', number> = { T: 0, A: 0, B: 0, C: 0 };

  beforeAll(async () => {
    t = await testApp({ demo: false });
    const demo = await seedPlatformDemo(t.db, 'demo1234');
    const db = t.db;
    u.T = await upsertUnit(db, { code: 'RPT', name: 'Thử', fullName: 'Tỉnh Thử', type: 'province', parentId: null });
    u.A = await upsertUnit(db, { code: 'RPT-A', name: 'An', fullName: 'Xã An', type: 'commune', parentId: u.T });
    u.B = await upsertUnit(db, { code: 'RPT-B', name: 'Bình', fullName: 'Xã Bình', type: 'commune', parentId: u.T });
    u.C = await upsertUnit(db, { code: 'RPT-C', name: 'Cũ', fullName: 'Xã Cũ', type: 'commune', parentId: u.T });
    // Bình was merged away in mid-April 2026 (after the March period began); Cũ before 2026
    await db.query(`UPDATE units SET retired_at = '2026-04-15T00:00:00+07:00' WHERE id = $1`, [u.B]);
    await db.query(`UPDATE units SET retired_at = '2025-12-31T00:00:00+07:00' WHERE id = $1`, [u.C]);
    await grantRole(db, demo.users.admin, 'admin', u.T);

    // ---- mailbox ----
    const cat = (await db.one<{ id: number }>(`INSERT INTO mailbox_categories (code, name, name_en, handling_days) VALUES ('rpt-roads', 'Đường sá thử', 'Test roads', 10) RETURNING id`))!.id;
    let n = 0;
    const report = async (unit: number, r: { received: string; answered?: string; onTime?: boolean; status?: string; deadline?: string; rating?: number; ratedAt?: string; reopenedAt?: string }) => {
      n++;
      const row = await db.one<{ id: number }>(
        `INSERT INTO mailbox_reports (code, token_hash, api_token, category_id, unit_id, title, description, status, received_at, accepted_at, first_answered_at, answered_at, answered_on_time, deadline_at, rating, rated_at, reopened_count)
         VALUES ($1, $2, $3, $4, $5, 'Ổ gà', 'Ổ gà trên đường', $6, $7, $7, $8, $8, $9, $10, $11, $12, $13) RETURNING id`,
        [`RPT-${n}`, `hash-${n}`, `api-${n}`, cat, unit, r.status ?? (r.answered ? 'answered' : 'in_progress'), r.received, r.answered ?? null, r.onTime ?? null, r.deadline ?? '2026-06-30T00:00:00+07:00', r.rating ?? null, r.ratedAt ?? null, r.reopenedAt ? 1 : 0],
      );
      if (r.reopenedAt) await db.query(`INSERT INTO mailbox_events (report_id, at, kind, visibility, actor_label) VALUES ($1, $2, 'reopened', 'internal', 'resident')`, [row!.id, r.reopenedAt]);
    };
    // 1. 23:30 on 31 March, Vietnam time (16:30 UTC): March; answered in April
    await report(u.A, { received: '2026-03-31T23:30:00+07:00', answered: '2026-04-02T09:00:00+07:00', onTime: true });
    // 2. 00:00 on 1 March: March; answered in March after 58 hours, on time; rated 4
    await report(u.A, { received: '2026-03-01T00:00:00+07:00', answered: '2026-03-03T10:00:00+07:00', onTime: true, rating: 4, ratedAt: '2026-03-04T10:00:00+07:00' });
    // 3. 23:59 on 28 February: February; answered in March after 60 hours, late
    await report(u.A, { received: '2026-02-28T23:59:00+07:00', answered: '2026-03-03T11:59:00+07:00', onTime: false });
    // 4. in Bình (retired since): March, answered after 24 hours, reopened in March
    await report(u.B, { received: '2026-03-10T08:00:00+07:00', answered: '2026-03-11T08:00:00+07:00', onTime: true, status: 'reopened', reopenedAt: '2026-03-12T08:00:00+07:00', rating: 2, ratedAt: '2026-03-11T20:00:00+07:00' });
    // 5. 00:00 on 1 April: April
    await report(u.A, { received: '2026-04-01T00:00:00+07:00' });
    // 6. spam in March: never counted
    await report(u.A, { received: '2026-03-15T08:00:00+07:00', status: 'spam' });
    // 7. March, still open, deadline 20 March: overdue at the end of March
    await report(u.A, { received: '2026-03-05T08:00:00+07:00', deadline: '2026-03-20T17:00:00+07:00' });

    // ---- desk claims ----
    const cluster = (await db.one<{ id: number }>(`INSERT INTO desk_clusters (title, fold_text) VALUES ('Tin đồn thử', 'tin don thu') RETURNING id`))!.id;
    const claim = (code: string, unit: number | null, at: string, answered: string | null, source = 'public') =>
      db.query(`INSERT INTO desk_claims (code, cluster_id, text, unit_id, source, created_at, answered_at) VALUES ($1, $2, 'Có thật không?', $3, $4, $5, $6)`, [code, cluster, unit, source, at, answered]);
    await claim('RPT-C1', u.A, '2026-03-31T23:30:00+07:00', '2026-04-01T10:00:00+07:00'); // received March, answered April
    await claim('RPT-C2', u.B, '2026-02-28T22:00:00+07:00', '2026-03-01T08:00:00+07:00', 'member'); // received Feb, answered March (10 h)
    await claim('RPT-C3', u.A, '2026-03-02T08:00:00+07:00', '2026-03-02T12:00:00+07:00', 'member'); // March, 4 h
    await claim('RPT-C4', u.A, '2026-04-01T00:00:00+07:00', null); // April

    // ---- network: members and clicks ----
    const m1 = await createUser(db, { email: 'rpt-m1@demo.local', name: 'Thành viên An', password: null }, 'test');
    const m2 = await createUser(db, { email: 'rpt-m2@demo.local', name: 'Thành viên Bình', password: null }, 'test');
    await grantRole(db, m1, 'member', u.A);
    await grantRole(db, m2, 'member', u.B);
    await db.query(`UPDATE role_grants SET created_at = '2026-01-01T00:00:00+07:00' WHERE user_id = ANY($1::int[])`, [[m1, m2]]);
    const camp = (await db.one<{ id: number }>(
      `INSERT INTO network_campaigns (title, message, unit_id, starts_at, ends_at) VALUES ('Chiến dịch thử', 'Chia sẻ', $1, '2026-03-02T08:00:00+07:00', '2026-03-30T08:00:00+07:00') RETURNING id`, [u.T]))!.id;
    const item = (await db.one<{ id: number }>(`INSERT INTO network_campaign_items (campaign_id, position, kind, title, url) VALUES ($1, 1, 'link', 'Bài', 'https://example.org/') RETURNING id`, [camp]))!.id;
    await db.query(`INSERT INTO network_recipients (campaign_id, user_id, unit_id, notified_at) VALUES ($1, $2, $3, '2026-03-02T08:00:00+07:00'), ($1, $4, $5, '2026-03-02T08:00:00+07:00')`, [camp, m1, u.A, m2, u.B]);
    const clicks: [number, number, string][] = [
      [m1, u.A, '2026-03-31T23:30:00+07:00'], // March (16:30 UTC)
      [m1, u.A, '2026-03-01T00:00:00+07:00'], // March
      [m2, u.B, '2026-03-20T12:00:00+07:00'], // March, retired unit
      [m1, u.A, '2026-02-28T23:59:00+07:00'], // February
      [m2, u.B, '2026-04-01T00:00:00+07:00'], // April
    ];
    for (const [user, unit, at] of clicks) await db.query(`INSERT INTO network_clicks (campaign_id, item_id, user_id, unit_id, at) VALUES ($1, $2, $3, $4, $5)`, [camp, item, user, unit, at]);

    auth = { authorization: `Bearer ${await createToken(db, demo.users.admin, 'rpt', 'test')}` };
  });
  afterAll(() => t.close());

  const get = async (q: string) => {
    const r = await t.client().json(`/api/v1/reports?${q}`, { headers: auth });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };

  it('counts the mailbox in March 2026, Vietnam time, with the retired ward and the reopened report', async () => {
    const r = await get('unit=RPT&period=2026-03');
    expect(r.unavailable).toEqual([]);
    const m = r.figures.mailbox;
    expect(m.received).toBe(4); // 1, 2, 4, 7 (not 3: February; not 5: April; not 6: spam)
    expect(m.answered).toBe(3); // 2, 3, 4 by first answer in March
    expect(m.answeredOnTime).toBe(2);
    expect(m.onTimeRate).toBeCloseTo(2 / 3, 5);
    expect(m.medianHoursToAnswer).toBe(58); // of 58, 60, 24
    expect(m.overdueNow).toBe(1); // 7
    expect(m.reopened).toBe(1);
    expect(m.ratingCount).toBe(2);
    expect(m.ratingAverage).toBe(3);
    expect(m.byCategory.find((b: { label: string }) => b.label === 'Đường sá thử').values.received).toBe(4);
    // February: only report 3
    expect(r.previous.mailbox.received).toBe(1);
    expect(r.previous.mailbox.answered).toBe(0);
    // April: report 5 received, report 1 answered
    const apr = await get('unit=RPT&from=2026-04-01&to=2026-04-30');
    expect([apr.figures.mailbox.received, apr.figures.mailbox.answered]).toEqual([1, 1]);
  });

  it('lists the retired ward that existed during the period, not the one retired before it', async () => {
    const r = await get('unit=RPT&period=2026-03');
    const kids = Object.fromEntries(r.children.map((c: { unit: { code: string; retired: boolean }; figures: { mailbox: { received: number; answered: number } } }) => [c.unit.code, c]));
    expect(Object.keys(kids).sort()).toEqual(['RPT-A', 'RPT-B']);
    expect(kids['RPT-B'].unit.retired).toBe(true);
    expect([kids['RPT-A'].figures.mailbox.received, kids['RPT-A'].figures.mailbox.answered]).toEqual([3, 2]);
    expect([kids['RPT-B'].figures.mailbox.received, kids['RPT-B'].figures.mailbox.reopened]).toEqual([1, 1]);
    // the page marks it
    const c = t.client();
    await c.signIn('admin@demo.local');
    const page = await c.get(`/staff/reports?unit=${u.T}&period=2026-03`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<th scope="row">Xã Bình (đã giải thể)</th>');
    expect(page.text).not.toContain('Xã Cũ');
    // the retired ward's own report still works
    const b = await get(`unit=RPT-B&period=2026-03`);
    expect(b.unit.retired).toBe(true);
    expect(b.figures.mailbox.received).toBe(1);
  });

  it('counts claims by when they came in and when they were answered', async () => {
    const r = await get('unit=RPT&period=2026-03');
    const d = r.figures.desk;
    expect(d.claimsReceived).toBe(2); // C1 (23:30 on 31 March), C3
    expect(d.claimsAnswered).toBe(2); // C2 (received in February), C3
    expect(d.medianHoursToAnswer).toBe(7); // of 10 and 4
    expect(d.clusters).toBe(1);
    expect(d.claimsFromMembers).toBe(1); // C3
    expect(r.previous.desk.claimsReceived).toBe(1); // C2
  });

  it('counts clicks in Vietnam time, the retired ward’s included', async () => {
    const r = await get('unit=RPT&period=2026-03');
    const nw = r.figures.network;
    expect(nw.clicks).toBe(3);
    expect(nw.members).toBe(2);
    expect(nw.clicksPer100Members).toBe(150);
    expect(nw.campaigns).toBe(1);
    expect(r.previous.network.clicks).toBe(1);
    const a = await get('unit=RPT-A&period=2026-03');
    expect(a.figures.network.clicks).toBe(2);
    // a quarter adds February's click and nothing from April
    const q1 = await get('unit=RPT&period=2026-Q1');
    expect(q1.figures.network.clicks).toBe(4);
    expect(q1.figures.mailbox.received).toBe(5);
    expect(q1.trend.map((b: { figures: { mailbox: { received: number } } }) => b.figures.mailbox.received)).toEqual([0, 1, 4]);
  });
});
