/**
 * No hidden process-wide state (issue 14, item 5): the mailbox's caches (routing config, picker lists, public lists)
 * and its installation secret live in each app's deps.state, so two apps in one process never share them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as repo from '../../src/modules/mailbox/repo.js';
import * as svc from '../../src/modules/mailbox/service.js';
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
