import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allCommands } from '../../src/cli/commands.js';
import { modules } from '../../src/modules/index.js';
import { recordAudit, verifyAudit } from '../../src/platform/audit/audit.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ demo: false });
});
afterAll(async () => {
  await t.close();
});

const entry = (i: number) => ({
  actorId: null,
  actorLabel: 'editor@audit.test',
  action: 'desk.article.publish',
  entityType: 'article',
  entityId: i,
  unitId: null,
  ip: '203.0.113.7',
  data: {
    title: `Bài số ${i}: Cảnh báo lũ trên sông Hương`,
    tags: ['lũ', 'Huế'],
    nested: { z: 1, a: [1, 2, { b: null }] },
  },
});

async function cli(): Promise<{ code: number | void; lines: string[] }> {
  const lines: string[] = [];
  const code = await allCommands(modules)['verify-audit'].run({
    deps: t.deps,
    args: [],
    flags: {},
    out: (l) => lines.push(l),
  });
  return { code, lines };
}

/** Changes a row behind the triggers' back, as a superuser with direct database access could. */
async function tamper(sql: string, params: unknown[] = []) {
  await t.db.exec(`ALTER TABLE audit_log DISABLE TRIGGER USER`);
  try {
    await t.db.query(sql, params);
  } finally {
    await t.db.exec(`ALTER TABLE audit_log ENABLE TRIGGER USER`);
  }
}

describe('audit log', () => {
  it('chains every entry to the one before, and verify-audit says the log is intact', async () => {
    const before = (await verifyAudit(t.db)).entries;
    for (let i = 1; i <= 6; i++) await recordAudit(t.db, entry(i));
    const rows = await t.db.query<{
      id: number;
      prev_hash: string;
      hash: string;
      actor_label: string;
      data: { title: string };
    }>(`SELECT id, prev_hash, hash, actor_label, data FROM audit_log ORDER BY id`);
    expect(rows.length).toBe(before + 6);
    for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].hash);
    expect(rows[0].prev_hash).toBe('0'.repeat(64));
    expect(new Set(rows.map((r) => r.hash)).size).toBe(rows.length);
    expect(rows.at(-1)!.data.title).toBe('Bài số 6: Cảnh báo lũ trên sông Hương');
    expect(await verifyAudit(t.db)).toEqual({ ok: true, entries: rows.length });
    const r = await cli();
    expect(r.code).toBe(0);
    expect(r.lines.join('\n')).toBe(`audit log intact: ${rows.length} entries`);
  });

  it('an entry recorded in a transaction that rolls back leaves no trace and no gap in the chain', async () => {
    const before = (await verifyAudit(t.db)).entries;
    await t.db
      .tx(async (tx) => {
        await recordAudit(tx, entry(99));
        throw new Error('the change failed');
      })
      .catch(() => {});
    await recordAudit(t.db, entry(100));
    expect(await verifyAudit(t.db)).toEqual({ ok: true, entries: before + 1 });
    expect(await t.db.query(`SELECT 1 FROM audit_log WHERE entity_id = '99'`)).toEqual([]);
  });

  it('the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    const id = (await t.db.one<{ id: number }>(`SELECT max(id)::int AS id FROM audit_log`))!.id;
    await expect(t.db.query(`UPDATE audit_log SET actor_label = 'someone else' WHERE id = $1`, [id])).rejects.toThrow(
      /append-only/,
    );
    await expect(t.db.query(`DELETE FROM audit_log WHERE id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(t.db.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    expect((await verifyAudit(t.db)).ok).toBe(true);
  });

  it('detects an entry changed behind the triggers’ back, at that entry', async () => {
    const ids = (await t.db.query<{ id: number }>(`SELECT id FROM audit_log ORDER BY id`)).map((r) => r.id);
    const victim = ids[2];
    await tamper(`UPDATE audit_log SET data = jsonb_set(data, '{title}', '"Bài đã bị sửa"') WHERE id = $1`, [victim]);
    expect(await verifyAudit(t.db)).toEqual({
      ok: false,
      entries: 2,
      brokenAt: victim,
      reason: 'entry content does not match its hash',
    });
    const r = await cli();
    expect(r.code).toBe(1);
    expect(r.lines.join('\n')).toContain(`audit log BROKEN at entry ${victim}`);
  });

  it('detects a forger who also recomputed the changed entry’s hash, at the next entry', async () => {
    const ids = (await t.db.query<{ id: number }>(`SELECT id FROM audit_log ORDER BY id`)).map((r) => r.id);
    const victim = ids[2];
    // Forged hash for the edited entry: the next entry still points at the old one.
    await tamper(`UPDATE audit_log SET hash = repeat('a', 64) WHERE id = $1`, [victim]);
    const check = await verifyAudit(t.db);
    expect(check.ok).toBe(false);
    expect(check.brokenAt).toBe(victim);
  });

  it('detects an entry deleted from the middle', async () => {
    const ids = (await t.db.query<{ id: number }>(`SELECT id FROM audit_log ORDER BY id`)).map((r) => r.id);
    // Start from a clean chain: remove every entry from the tampered one on, then rebuild.
    await tamper(`DELETE FROM audit_log WHERE id >= $1`, [ids[2]]);
    expect((await verifyAudit(t.db)).ok).toBe(true);
    for (let i = 1; i <= 4; i++) await recordAudit(t.db, entry(200 + i));
    const now = (await t.db.query<{ id: number }>(`SELECT id FROM audit_log ORDER BY id`)).map((r) => r.id);
    await tamper(`DELETE FROM audit_log WHERE id = $1`, [now.at(-3)]);
    expect(await verifyAudit(t.db)).toMatchObject({
      ok: false,
      brokenAt: now.at(-2),
      reason: 'link to the previous entry does not match',
    });
  });

  it('verifies in batches across batch boundaries', async () => {
    const ids = (await t.db.query<{ id: number }>(`SELECT id FROM audit_log ORDER BY id`)).map((r) => r.id);
    await tamper(`DELETE FROM audit_log WHERE id >= $1`, [ids[0]]);
    for (let i = 0; i < 7; i++) await recordAudit(t.db, entry(300 + i));
    expect(await verifyAudit(t.db, 2)).toEqual({ ok: true, entries: 7 });
  });

  it.runIf(testDbKind() === 'pg')('many concurrent writers on PostgreSQL keep one unbroken chain', async () => {
    const before = (await verifyAudit(t.db)).entries;
    const N = 120;
    await Promise.all(
      Array.from({ length: N }, (_, i) =>
        i % 2
          ? recordAudit(t.db, entry(1000 + i))
          : t.db.tx(async (tx) => {
              await tx.query(`SELECT pg_sleep(0.002)`);
              await recordAudit(tx, entry(1000 + i));
            }),
      ),
    );
    expect(await verifyAudit(t.db)).toEqual({ ok: true, entries: before + N });
    const forks = await t.db.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT prev_hash FROM audit_log GROUP BY prev_hash HAVING count(*) > 1) x`,
    );
    expect(forks!.n).toBe(0);
  });
});
