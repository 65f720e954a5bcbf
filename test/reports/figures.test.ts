/**
 * Hand-counted fixtures through the real modules' figures (mailbox, desk, network, training, crisis), read by the
 * reports module: items crossing period boundaries, Vietnam time, retired units, reopened reports.
 * Rows are written straight into the modules' tables so that every timestamp is known.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/platform/auth/service.js';
import { upsertUnit } from '../../src/platform/units/repo.js';
import { testDbKind } from '../helpers/db.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { findUnit, makeUser } from '../helpers/factories.js';

describe(`report figures from the real modules, hand-counted (${testDbKind()})`, () => {
  let t: TestApp;
  let auth: Record<string, string>;
  const u: Record<'T' | 'A' | 'B' | 'C', number> = { T: 0, A: 0, B: 0, C: 0 };

  beforeAll(async () => {
    t = await testApp({ demo: false });
    const db = t.db;
    u.T = await upsertUnit(db, { code: 'RPT', name: 'Thử', fullName: 'Tỉnh Thử', type: 'province', parentId: null });
    u.A = await upsertUnit(db, { code: 'RPT-A', name: 'An', fullName: 'Xã An', type: 'commune', parentId: u.T });
    u.B = await upsertUnit(db, { code: 'RPT-B', name: 'Bình', fullName: 'Xã Bình', type: 'commune', parentId: u.T });
    u.C = await upsertUnit(db, { code: 'RPT-C', name: 'Cũ', fullName: 'Xã Cũ', type: 'commune', parentId: u.T });
    // Bình was merged away in mid-April 2026 (after the March period began); Cũ before 2026
    await db.query(`UPDATE units SET retired_at = '2026-04-15T00:00:00+07:00' WHERE id = $1`, [u.B]);
    await db.query(`UPDATE units SET retired_at = '2025-12-31T00:00:00+07:00' WHERE id = $1`, [u.C]);
    const admin = await makeUser(db, { email: 'admin@figures.test', role: 'admin', unit: await findUnit(db, u.T) });

    // ---- mailbox ----
    const cat = (await db.one<{ id: number }>(
      `INSERT INTO mailbox_categories (code, name, name_en, handling_days) VALUES ('rpt-roads', 'Đường sá thử', 'Test roads', 10) RETURNING id`,
    ))!.id;
    let n = 0;
    const report = async (
      unit: number,
      r: {
        received: string;
        answered?: string;
        onTime?: boolean;
        status?: string;
        deadline?: string;
        rating?: number;
        ratedAt?: string;
        reopenedAt?: string;
      },
    ) => {
      n++;
      const row = await db.one<{ id: number }>(
        `INSERT INTO mailbox_reports (code, token_hash, api_token, category_id, unit_id, title, description, status, received_at, accepted_at, first_answered_at, answered_at, answered_on_time, deadline_at, rating, rated_at, reopened_count)
         VALUES ($1, $2, $3, $4, $5, 'Ổ gà', 'Ổ gà trên đường', $6, $7, $7, $8, $8, $9, $10, $11, $12, $13) RETURNING id`,
        [
          `RPT-${n}`,
          `hash-${n}`,
          `api-${n}`,
          cat,
          unit,
          r.status ?? (r.answered ? 'answered' : 'in_progress'),
          r.received,
          r.answered ?? null,
          r.onTime ?? null,
          r.deadline ?? '2026-06-30T00:00:00+07:00',
          r.rating ?? null,
          r.ratedAt ?? null,
          r.reopenedAt ? 1 : 0,
        ],
      );
      if (r.reopenedAt)
        await db.query(
          `INSERT INTO mailbox_events (report_id, at, kind, visibility, actor_label) VALUES ($1, $2, 'reopened', 'internal', 'resident')`,
          [row!.id, r.reopenedAt],
        );
    };
    // 1. 23:30 on 31 March, Vietnam time (16:30 UTC): March; answered in April
    await report(u.A, { received: '2026-03-31T23:30:00+07:00', answered: '2026-04-02T09:00:00+07:00', onTime: true });
    // 2. 00:00 on 1 March: March; answered in March after 58 hours, on time; rated 4
    await report(u.A, {
      received: '2026-03-01T00:00:00+07:00',
      answered: '2026-03-03T10:00:00+07:00',
      onTime: true,
      rating: 4,
      ratedAt: '2026-03-04T10:00:00+07:00',
    });
    // 3. 23:59 on 28 February: February; answered in March after 60 hours, late
    await report(u.A, { received: '2026-02-28T23:59:00+07:00', answered: '2026-03-03T11:59:00+07:00', onTime: false });
    // 4. in Bình (retired since): March, answered after 24 hours, reopened in March
    await report(u.B, {
      received: '2026-03-10T08:00:00+07:00',
      answered: '2026-03-11T08:00:00+07:00',
      onTime: true,
      status: 'reopened',
      reopenedAt: '2026-03-12T08:00:00+07:00',
      rating: 2,
      ratedAt: '2026-03-11T20:00:00+07:00',
    });
    // 5. 00:00 on 1 April: April
    await report(u.A, { received: '2026-04-01T00:00:00+07:00' });
    // 6. spam in March: never counted
    await report(u.A, { received: '2026-03-15T08:00:00+07:00', status: 'spam' });
    // 7. March, still open, deadline 20 March: overdue at the end of March
    await report(u.A, { received: '2026-03-05T08:00:00+07:00', deadline: '2026-03-20T17:00:00+07:00' });

    // ---- desk claims ----
    const cluster = (await db.one<{ id: number }>(
      `INSERT INTO desk_clusters (title, fold_text) VALUES ('Tin đồn thử', 'tin don thu') RETURNING id`,
    ))!.id;
    const claim = (code: string, unit: number | null, at: string, answered: string | null, source = 'public') =>
      db.query(
        `INSERT INTO desk_claims (code, cluster_id, text, unit_id, source, created_at, answered_at) VALUES ($1, $2, 'Có thật không?', $3, $4, $5, $6)`,
        [code, cluster, unit, source, at, answered],
      );
    await claim('RPT-C1', u.A, '2026-03-31T23:30:00+07:00', '2026-04-01T10:00:00+07:00'); // received March, answered April
    await claim('RPT-C2', u.B, '2026-02-28T22:00:00+07:00', '2026-03-01T08:00:00+07:00', 'member'); // received Feb, answered March (10 h)
    await claim('RPT-C3', u.A, '2026-03-02T08:00:00+07:00', '2026-03-02T12:00:00+07:00', 'member'); // March, 4 h
    await claim('RPT-C4', u.A, '2026-04-01T00:00:00+07:00', null); // April

    // ---- network: members and clicks ----
    const m1 = await makeUser(db, {
      email: 'rpt-m1@figures.test',
      name: 'Thành viên An',
      role: 'member',
      unit: await findUnit(db, u.A),
    });
    const m2 = await makeUser(db, {
      email: 'rpt-m2@figures.test',
      name: 'Thành viên Bình',
      role: 'member',
      unit: await findUnit(db, u.B),
    });
    await db.query(`UPDATE role_grants SET created_at = '2026-01-01T00:00:00+07:00' WHERE user_id = ANY($1::int[])`, [
      [m1, m2],
    ]);
    const camp = (await db.one<{ id: number }>(
      `INSERT INTO network_campaigns (title, message, unit_id, starts_at, ends_at) VALUES ('Chiến dịch thử', 'Chia sẻ', $1, '2026-03-02T08:00:00+07:00', '2026-03-30T08:00:00+07:00') RETURNING id`,
      [u.T],
    ))!.id;
    const item = (await db.one<{ id: number }>(
      `INSERT INTO network_campaign_items (campaign_id, position, kind, title, url) VALUES ($1, 1, 'link', 'Bài', 'https://example.org/') RETURNING id`,
      [camp],
    ))!.id;
    // m1 opened the campaign in March; m2 opened it at 23:59 on 28 February (an earlier campaign's notice)
    await db.query(
      `INSERT INTO network_recipients (campaign_id, user_id, unit_id, notified_at, opened_at) VALUES ($1, $2, $3, '2026-03-02T08:00:00+07:00', '2026-03-02T09:00:00+07:00'), ($1, $4, $5, '2026-02-28T08:00:00+07:00', '2026-02-28T23:59:00+07:00')`,
      [camp, m1, u.A, m2, u.B],
    );
    const clicks: [number, number, string][] = [
      [m1, u.A, '2026-03-31T23:30:00+07:00'], // March (16:30 UTC)
      [m1, u.A, '2026-03-01T00:00:00+07:00'], // March
      [m2, u.B, '2026-03-20T12:00:00+07:00'], // March, retired unit
      [m1, u.A, '2026-02-28T23:59:00+07:00'], // February
      [m2, u.B, '2026-04-01T00:00:00+07:00'], // April
    ];
    for (const [user, unit, at] of clicks)
      await db.query(
        `INSERT INTO network_clicks (campaign_id, item_id, user_id, unit_id, at) VALUES ($1, $2, $3, $4, $5)`,
        [camp, item, user, unit, at],
      );
    const shares: [number, number, string, string][] = [
      [m1, u.A, 'facebook', '2026-03-31T23:30:00+07:00'], // March
      [m1, u.A, 'zalo', '2026-02-28T23:59:00+07:00'], // February
      [m2, u.B, 'zalo', '2026-04-01T00:00:00+07:00'], // April
    ];
    for (const [user, unit, channel, at] of shares)
      await db.query(
        `INSERT INTO network_shares (campaign_id, item_id, user_id, unit_id, channel, at) VALUES ($1, $2, $3, $4, $5, $6)`,
        [camp, item, user, unit, channel, at],
      );

    // ---- training: course K assigned to the province in February, K2 to An on 1 March ----
    const course = async (slug: string) =>
      (await db.one<{ id: number }>(
        `INSERT INTO network_courses (slug, title, summary, pass_mark) VALUES ($1, 'Khoá thử', 'Thử', 80) RETURNING id`,
        [slug],
      ))!.id;
    const K = await course('rpt-k');
    const K2 = await course('rpt-k2');
    await db.query(
      `INSERT INTO network_assignments (course_id, unit_id, due_date, created_at) VALUES ($1, $2, '2026-04-30', '2026-02-28T23:59:00+07:00'), ($3, $4, '2026-04-30', '2026-03-01T00:00:00+07:00')`,
      [K, u.T, K2, u.A],
    );
    const attempt = (user: number, c: number, passed: boolean, at: string) =>
      db.query(
        `INSERT INTO network_quiz_attempts (user_id, course_id, score, passed, at) VALUES ($1, $2, $3, $4, $5)`,
        [user, c, passed ? 90 : 40, passed, at],
      );
    const certificate = (code: string, user: number, c: number, at: string) =>
      db.query(
        `INSERT INTO network_certificates (code, user_id, course_id, score, issued_at) VALUES ($1, $2, $3, 90, $4)`,
        [code, user, c, at],
      );
    await attempt(m1, K, false, '2026-03-30T10:00:00+07:00');
    await attempt(m1, K, true, '2026-03-31T23:30:00+07:00');
    await certificate('RPT-CERT-1', m1, K, '2026-03-31T23:30:00+07:00'); // March
    await attempt(m1, K2, true, '2026-03-05T10:00:00+07:00');
    await certificate('RPT-CERT-2', m1, K2, '2026-03-05T10:00:00+07:00'); // March
    await attempt(m2, K, false, '2026-03-15T10:00:00+07:00');
    await attempt(m2, K, true, '2026-04-01T00:00:00+07:00');
    await certificate('RPT-CERT-3', m2, K, '2026-04-01T00:00:00+07:00'); // April
    await attempt(admin, K, false, '2026-03-15T10:00:00+07:00'); // not a member: never counted

    // ---- desk: pieces published ----
    let slug = 0;
    const piece = async (kind: string, status: string, publishedAt: string | null, units: number[]) => {
      const id = (await db.one<{ id: number }>(
        `INSERT INTO desk_items (kind, slug, status, title, published_at) VALUES ($1, $2, $3, 'Bài thử', $4) RETURNING id`,
        [kind, `rpt-${++slug}`, status, publishedAt],
      ))!.id;
      for (const unit of units)
        await db.query(`INSERT INTO desk_item_units (item_id, unit_id) VALUES ($1, $2)`, [id, unit]);
    };
    await piece('article', 'published', '2026-03-31T23:30:00+07:00', [u.A]); // March
    await piece('video', 'published', '2026-03-01T00:00:00+07:00', [u.B]); // March, retired ward
    await piece('factcheck', 'published', '2026-03-15T10:00:00+07:00', []); // March, the whole province
    await piece('article', 'unpublished', '2026-03-10T10:00:00+07:00', [u.A]); // published in March, withdrawn since: counted
    await piece('factcheck', 'published', '2026-02-28T23:59:00+07:00', [u.A]); // February
    await piece('article', 'draft', null, [u.A]); // never published
    await piece('article', 'published', '2026-04-01T00:00:00+07:00', [u.A]); // April

    // ---- crisis: incidents, statements released, deliveries ----
    const incident = (unit: number, at: string) =>
      db.query(
        `INSERT INTO crisis_incidents (title, type, severity, unit_id, spokesperson_name, opened_at) VALUES ('Sự cố thử', 'natural', 'moderate', $1, 'Người phát ngôn', $2)`,
        [unit, at],
      );
    await incident(u.A, '2026-03-31T23:30:00+07:00'); // March
    await incident(u.T, '2026-02-28T23:59:00+07:00'); // February
    let seq = 0;
    const statement = async (unit: number, status: string, releasedAt: string | null) => {
      seq++;
      return (await db.one<{ id: number }>(
        `INSERT INTO crisis_statements (unit_id, title, body, status, seq, number, code, released_at) VALUES ($1, 'Thông cáo thử', 'Nội dung', $2, $3, $4, $5, $6) RETURNING id`,
        [unit, status, seq, releasedAt ? `RPT-2026-00${seq}` : null, releasedAt ? `RPTCODE${seq}` : null, releasedAt],
      ))!.id;
    };
    const s1 = await statement(u.A, 'released', '2026-03-01T00:00:00+07:00'); // March
    const s2 = await statement(u.B, 'released', '2026-03-20T10:00:00+07:00'); // March, retired ward
    await statement(u.A, 'draft', null); // never released
    await statement(u.A, 'released', '2026-04-01T00:00:00+07:00'); // April
    const delivery = (statementId: number, status: string, at: string) =>
      db.query(
        `INSERT INTO notifications (channel, recipient, template, ref_type, ref_id, status, created_at) VALUES ('email', 'bao@example.org', 'crisis.statement', 'crisis.statement', $1, $2, $3)`,
        [String(statementId), status, at],
      );
    await delivery(s1, 'sent', '2026-03-01T00:00:00+07:00');
    await delivery(s1, 'sent', '2026-03-01T00:00:00+07:00');
    await delivery(s1, 'failed', '2026-03-01T00:00:00+07:00');
    await delivery(s2, 'sent', '2026-04-01T00:00:00+07:00'); // sent on from the queue in April

    auth = { authorization: `Bearer ${await createToken(db, admin, 'rpt', 'test')}` };
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
    const kids = Object.fromEntries(
      r.children.map(
        (c: {
          unit: { code: string; retired: boolean };
          figures: { mailbox: { received: number; answered: number } };
        }) => [c.unit.code, c],
      ),
    );
    expect(Object.keys(kids).sort()).toEqual(['RPT-A', 'RPT-B']);
    expect(kids['RPT-B'].unit.retired).toBe(true);
    expect([kids['RPT-A'].figures.mailbox.received, kids['RPT-A'].figures.mailbox.answered]).toEqual([3, 2]);
    expect([kids['RPT-B'].figures.mailbox.received, kids['RPT-B'].figures.mailbox.reopened]).toEqual([1, 1]);
    // the page marks it
    const c = t.client();
    await c.signIn('admin@figures.test');
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
    expect(q1.trend.map((b: { figures: { mailbox: { received: number } } }) => b.figures.mailbox.received)).toEqual([
      0, 1, 4,
    ]);
  });

  it('counts shares, active members and training in the period they happened', async () => {
    const r = await get('unit=RPT&period=2026-03');
    const nw = r.figures.network;
    expect(nw.reportedShares).toBe(1);
    expect(nw.activeMembers).toBe(1); // m1 opened and shared in March; m2 only opened in February
    expect(nw.trainingAssigned).toBe(1); // K2 to m1 on 1 March (K was assigned in February)
    expect(nw.trainingCompleted).toBe(2); // m1's K at 23:30 on 31 March and K2; m2's K is April's
    expect(nw.trainingPassRate).toBe(0.5); // 2 of m1 fail, m1 pass, m1 pass, m2 fail; the admin is no member
    const feb = r.previous.network;
    expect([
      feb.reportedShares,
      feb.activeMembers,
      feb.trainingAssigned,
      feb.trainingCompleted,
      feb.trainingPassRate,
    ]).toEqual([1, 2, 2, 0, null]);
    const apr = (await get('unit=RPT&from=2026-04-01&to=2026-04-30')).figures.network;
    expect([apr.reportedShares, apr.trainingAssigned, apr.trainingCompleted, apr.trainingPassRate]).toEqual([
      1, 0, 1, 1,
    ]);
    const a = (await get('unit=RPT-A&period=2026-03')).figures.network;
    expect([a.reportedShares, a.activeMembers, a.trainingAssigned, a.trainingCompleted, a.trainingPassRate]).toEqual([
      1, 1, 1, 2, 0.667,
    ]);
  });

  it('counts pieces published in Vietnam time, withdrawn ones included and province-wide ones only for the province', async () => {
    const r = await get('unit=RPT&period=2026-03');
    const d = r.figures.desk;
    expect([d.articles, d.videos, d.factchecks]).toEqual([2, 1, 1]);
    expect([r.previous.desk.articles, r.previous.desk.videos, r.previous.desk.factchecks]).toEqual([0, 0, 1]);
    const a = (await get('unit=RPT-A&period=2026-03')).figures.desk;
    expect([a.articles, a.videos, a.factchecks]).toEqual([2, 0, 0]);
    const b = (await get('unit=RPT-B&period=2026-03')).figures.desk;
    expect([b.articles, b.videos, b.factchecks]).toEqual([0, 1, 0]);
  });

  it('counts incidents, released statements and their deliveries', async () => {
    const r = await get('unit=RPT&period=2026-03');
    const c = r.figures.crisis;
    expect([c.incidents, c.statements, c.deliveries, c.delivered]).toEqual([1, 2, 3, 2]);
    expect(c.deliverySuccessRate).toBeCloseTo(2 / 3, 5);
    expect([
      r.previous.crisis.incidents,
      r.previous.crisis.statements,
      r.previous.crisis.deliveries,
      r.previous.crisis.deliverySuccessRate,
    ]).toEqual([1, 0, 0, null]);
    const apr = (await get('unit=RPT&from=2026-04-01&to=2026-04-30')).figures.crisis;
    expect([apr.incidents, apr.statements, apr.deliveries, apr.delivered, apr.deliverySuccessRate]).toEqual([
      0, 1, 1, 1, 1,
    ]);
    const kids = Object.fromEntries(
      r.children.map((k: { unit: { code: string }; figures: { crisis: { statements: number } } }) => [
        k.unit.code,
        k.figures.crisis.statements,
      ]),
    );
    expect(kids).toEqual({ 'RPT-A': 1, 'RPT-B': 1 });
  });
});
