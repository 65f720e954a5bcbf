import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { matchClaim } from '../../src/modules/desk/public.js';
import { AppState } from '../../src/platform/app-state.js';
import { testConfig } from '../helpers/config.js';
import { testDb, testDbKind } from '../helpers/db.js';

const CLAIM = 'Nhà máy nước Vạn Niên ngừng cấp nước ba ngày để nạo vét hồ chứa';

async function insertDraft(db: Db): Promise<number> {
  const r = await db.one<{ id: number }>(
    `INSERT INTO desk_items (kind, title, slug, summary, body, claim, verdict, status, sources)
     VALUES ('factcheck', 'Vạn Niên không ngừng cấp nước ba ngày', 'van-nien', 'Sai. Chỉ giảm áp lực nước vào ban đêm.', 'Công ty cấp nước xác nhận.', $1, 'sai', 'draft', '[{"title":"Công ty cấp nước"}]') RETURNING id`,
    [CLAIM],
  );
  return r!.id;
}

describe.skipIf(testDbKind() !== 'pg')('matching across app processes (PostgreSQL)', () => {
  let db: Db;
  let child: ChildProcessWithoutNullStreams;
  let next: () => Promise<string>;
  beforeAll(async () => {
    db = await testDb();
    const name = (await db.one<{ n: string }>(`SELECT current_database() AS n`))!.n;
    const u = new URL(process.env.TEST_DATABASE_URL!);
    u.pathname = `/${name}`;
    child = spawn(process.execPath, ['--import', 'tsx', 'test/desk/match-freshness.child.ts', u.toString()], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    next = async () => String((await lines.next()).value);
    expect(await next()).toBe('ready');
  });
  afterAll(async () => {
    child?.stdin.write('quit\n');
    await new Promise((r) => setTimeout(r, 200));
    child?.kill();
    await db?.close();
  });

  const ask = async (text: string) => {
    child.stdin.write(text + '\n');
    return JSON.parse(await next()) as { answered: boolean; results: { id: string; title: string }[]; ms: number };
  };

  it('a fact-check published, corrected or unpublished in one process is matchable, changed or gone in another within a second', async () => {
    const id = await insertDraft(db);
    const before = await ask(CLAIM);
    expect(before.results.map((r) => r.title)).not.toContain('Vạn Niên không ngừng cấp nước ba ngày');

    await db.query(`UPDATE desk_items SET status = 'published', published_at = now() WHERE id = $1`, [id]);
    let t0 = Date.now();
    const published = await ask(CLAIM);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(published.answered).toBe(true);
    expect(published.results[0]).toMatchObject({ id: String(id), title: 'Vạn Niên không ngừng cấp nước ba ngày' });

    await db.query(`UPDATE desk_items SET title = 'Đính chính: Vạn Niên chỉ giảm áp lực nước ban đêm' WHERE id = $1`, [
      id,
    ]);
    t0 = Date.now();
    const corrected = await ask(CLAIM);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(corrected.results[0].title).toBe('Đính chính: Vạn Niên chỉ giảm áp lực nước ban đêm');

    await db.query(`UPDATE desk_items SET status = 'unpublished', unpublished_at = now() WHERE id = $1`, [id]);
    t0 = Date.now();
    const gone = await ask(CLAIM);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(gone.results.map((r) => r.id)).not.toContain(String(id));
    expect(gone.answered).toBe(false);
    // and this process, which wrote, agrees
    expect(
      (await matchClaim({ db, state: new AppState(), config: testConfig() }, CLAIM)).results.map((r) => r.id),
    ).not.toContain(String(id));
  });
});
