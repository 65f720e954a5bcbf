/**
 * No hidden process-wide state (issue 14, item 5): the mailbox's caches (routing config, picker lists, public lists),
 * the counters that tell them something changed, and its installation secret live in each app's deps.state, so two
 * apps in one process never share them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as repo from '../../src/modules/mailbox/repo.js';
import * as svc from '../../src/modules/mailbox/service.js';
import * as setup from '../../src/modules/mailbox/service/setup.js';
import { installationSecret } from '../../src/platform/secrets.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';

describe(`mailbox: per-app caches and secret (${testDbKind()})`, () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    a = await testApp();
    b = await testApp();
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  const answered = { status: 'answered', limit: 50, offset: 0 } as const;

  it("two apps on two databases never see each other's cached picker lists or public lists", async () => {
    const before = await repo.pickerLists(a.deps);
    await repo.pickerLists(b.deps);
    const listA = await svc.publicList(a.deps, answered);
    await svc.publicList(b.deps, answered);
    expect(listA.total).toBeGreaterThan(0);

    // B's database changes behind B's back; B forgets its own memory, A keeps its own
    await b.db.query(`UPDATE mailbox_categories SET name = 'Đổi tên ở B' WHERE id = $1`, [before.categories[0].id]);
    await b.db.query(`UPDATE mailbox_reports SET title = 'Đổi tiêu đề ở B' WHERE id = $1`, [listA.rows[0].id]);
    b.deps.state.clear();

    expect((await repo.pickerLists(b.deps)).categories.map((c) => c.name)).toContain('Đổi tên ở B');
    const titles = async (t: TestApp) => (await svc.publicList(t.deps, answered)).rows.map((r) => r.title);
    expect(await titles(b)).toContain('Đổi tiêu đề ở B');
    expect((await repo.pickerLists(a.deps)).categories.map((c) => c.name)).not.toContain('Đổi tên ở B');
    expect(await titles(a)).not.toContain('Đổi tiêu đề ở B');
  });

  it('a change made through app A makes A read again at once, and never makes B read again', async () => {
    const answeredOf = async (t: TestApp) => (await svc.publicList(t.deps, answered)).rows.map((r) => r.title);
    const [listA, listB] = [await svc.publicList(a.deps, answered), await svc.publicList(b.deps, answered)];
    const catA = (await repo.pickerLists(a.deps)).categories[1];
    const catB = (await repo.pickerLists(b.deps)).categories[1];
    await svc.deadlineAndRouting(a.deps);
    await svc.deadlineAndRouting(b.deps);
    // both databases change behind their apps' backs
    for (const [t, cat, row, tag] of [
      [a, catA, listA.rows[1], 'A'],
      [b, catB, listB.rows[1], 'B'],
    ] as const) {
      await t.db.query(`UPDATE mailbox_categories SET name = $2 WHERE id = $1`, [cat.id, `Lĩnh vực đổi ở ${tag}`]);
      await t.db.query(`UPDATE mailbox_reports SET title = $2 WHERE id = $1`, [row.id, `Tiêu đề đổi ở ${tag}`]);
      await t.db.query(`INSERT INTO mailbox_holidays (day, name) VALUES ('2031-03-0${tag === 'A' ? 3 : 4}', 'test')`);
    }
    // a set-up change and a report change, both through app A
    await setup.addHoliday(a.deps, null, '2031-03-05', 'Nghỉ thử');
    await svc.runRetention(a.deps);

    // A reads again at once: its lists, its public list and its holidays are the database's
    expect((await repo.pickerLists(a.deps)).categories.map((c) => c.name)).toContain('Lĩnh vực đổi ở A');
    expect(await answeredOf(a)).toContain('Tiêu đề đổi ở A');
    const holidaysA = (await svc.deadlineAndRouting(a.deps)).holidays;
    expect(holidaysA.has('2031-03-03') && holidaysA.has('2031-03-05')).toBe(true);
    // B keeps its own memory: nothing done through A made it read again
    expect((await repo.pickerLists(b.deps)).categories.map((c) => c.name)).not.toContain('Lĩnh vực đổi ở B');
    expect(await answeredOf(b)).not.toContain('Tiêu đề đổi ở B');
    expect((await svc.deadlineAndRouting(b.deps)).holidays.has('2031-03-04')).toBe(false);
  });

  it("the routing config is read through each app's own memory", async () => {
    const cat = (await repo.pickerLists(a.deps)).categories[0];
    const unit = (await repo.pickerLists(a.deps)).units[0];
    const file = (t: TestApp) =>
      svc.createReport(
        t.deps,
        {
          category: cat.id,
          unit: unit.id,
          title: 'Đèn đường hỏng',
          description: 'Đèn đường trước số 12 không sáng đã một tuần.',
          address: null,
          lat: null,
          lon: null,
          name: null,
          phone: null,
          email: null,
          show_name: false,
        },
        { source: 'web', locale: 'vi' },
      );
    await file(a); // A reads (and keeps) its holidays and routing rules
    // a holiday on every day of the next months in A's database: A's kept config does not know it yet
    await a.db.query(
      `INSERT INTO mailbox_holidays (day, name)
       SELECT d::date, 'test' FROM generate_series(now() - interval '1 day', now() + interval '120 days', interval '1 day') d
       ON CONFLICT DO NOTHING`,
    );
    const deadline = async (t: TestApp, code: string) =>
      new Date(
        (await t.db.one<{ deadline_at: Date }>(`SELECT deadline_at FROM mailbox_reports WHERE code = $1`, [code]))!
          .deadline_at,
      ).getTime();
    const kept = await deadline(a, (await file(a)).code);
    a.deps.state.clear(); // A forgets: the holidays now push the deadline far away
    const fresh = await deadline(a, (await file(a)).code);
    expect(fresh - kept).toBeGreaterThan(60 * 86400_000);
  });

  it('each installation has its own secret, kept in its own app', async () => {
    const [sa, sb] = await Promise.all([
      installationSecret(a.deps, 'test.secret'),
      installationSecret(b.deps, 'test.secret'),
    ]);
    expect(sa).not.toBe(sb);
    expect(await installationSecret(a.deps, 'test.secret')).toBe(sa);
    a.deps.state.clear();
    expect(await installationSecret(a.deps, 'test.secret')).toBe(sa); // read back from the database, not made anew
    const token = await svc.privateToken(a.deps, 'abc');
    await a.db.query(`UPDATE settings SET value = '"changed"' WHERE key = 'mailbox.secret'`);
    expect(await svc.privateToken(a.deps, 'abc')).toBe(token); // kept in A's memory
    a.deps.state.clear();
    expect(await svc.privateToken(a.deps, 'abc')).not.toBe(token);
  });
});
