import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/commands.js';
import type { Db } from '../../src/db/client.js';
import { modules } from '../../src/modules/index.js';
import { entryHash, recordAudit } from '../../src/platform/audit/audit.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';

/**
 * Anchors published outside the database (/audit/anchors.json, signed with the installation's key) catch what the
 * database's own anchors cannot: an attacker with the database deletes the newest entries, or rewrites the history
 * consistently, and deletes the anchors along with it. `verify-audit` alone passes; against a mirror it fails.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'caunoi-anchors-'));
let t: TestApp;

beforeAll(async () => {
  t = await testApp({ demo: false });
});
afterAll(() => t?.close());

async function cli(...argv: string[]) {
  const lines: string[] = [];
  const code = await runCommand(t.deps, modules, argv, (l) => lines.push(l));
  return { code, out: lines.join('\n') };
}
const entry = (i: number) => ({
  actorLabel: 'editor@anchors.test',
  action: 'desk.article.publish',
  entityType: 'article',
  entityId: i,
  data: { title: `Bài số ${i}` },
});
const head = async () =>
  (await t.db.one<{ id: number; hash: string }>(`SELECT id::int AS id, hash FROM audit_log ORDER BY id DESC LIMIT 1`))!;
/** What someone with the database (a superuser) can do: triggers held off, committed. */
const asAttacker = (fn: (tx: Db) => Promise<void>) =>
  t.db.tx(async (tx) => {
    await tx.query(`SET LOCAL session_replication_role = replica`);
    await fn(tx);
  });
const mirror = async (name: string) => {
  const r = await t.client().request('/audit/anchors.json');
  expect(r.status).toBe(200);
  const f = path.join(dir, name);
  writeFileSync(f, r.text);
  return { file: f, feed: JSON.parse(r.text) };
};

describe(`published audit anchors (${testDbKind()})`, () => {
  let firstAnchorEntry = 0;
  let mirrorA = '';

  it('an anchor is signed with the installation key and published as a page and a JSON feed', async () => {
    await recordAudit(t.db, entry(1));
    const h = await head();
    const r = await cli('anchor-audit');
    expect(r.code).toBe(0);
    firstAnchorEntry = h.id;
    const { feed } = await mirror('first.json');
    expect(feed.format).toBe('cau-noi-audit-anchors/v1');
    expect(feed.site).toBe('http://test.local');
    const a = feed.anchors[0];
    expect(a).toMatchObject({ lastId: h.id, hash: h.hash, keyId: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(a.signed).toContain(`entry: ${h.id}\nhash: ${h.hash}\n`);
    const key = feed.keys.find((k: { keyId: string }) => k.keyId === a.keyId);
    // The key is the one that signs official statements, and the signature verifies with it.
    const pub = await t.client().request('/.well-known/caunoi-statements.pub');
    expect(pub.text.trim()).toBe(key.publicKeyPem.trim());
    expect(
      verify(null, Buffer.from(a.signed), createPublicKey(key.publicKeyPem), Buffer.from(a.signature, 'base64')),
    ).toBe(true);

    const page = await t.client().request('/audit/anchors');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Mốc kiểm chứng nhật ký thao tác');
    expect(page.text).toContain(h.hash.slice(0, 16));
    expect(page.text).toContain('href="/audit/anchors.json"');
    const en = await t.client().request('/audit/anchors?lang=en');
    expect(en.text).toContain('Audit log anchors');
  });

  it('deleting the newest entries and the anchors passes verify-audit alone, but not against a published copy', async () => {
    for (let i = 2; i <= 4; i++) await recordAudit(t.db, entry(i));
    expect((await cli('anchor-audit')).code).toBe(0);
    const second = await head();
    mirrorA = (await mirror('a.json')).file;
    expect((await cli('verify-audit', '--anchors', mirrorA)).code).toBe(0);

    await asAttacker(async (tx) => {
      await tx.query(`DELETE FROM audit_log WHERE id > $1`, [firstAnchorEntry]);
      await tx.query(`DELETE FROM audit_anchors`);
    });
    const alone = await cli('verify-audit');
    expect(alone.out).toMatch(/^audit log intact: \d+ entries$/);
    expect(alone.code).toBe(0); // what the database alone can tell

    const r = await cli('verify-audit', '--anchors', mirrorA);
    expect(r.out).toContain('published copy: 2 anchors (2 with a valid signature, 0 unsigned)');
    expect(r.out).toContain(`audit log BROKEN at entry ${second.id}: the anchored entry is missing`);
    expect(r.out).toMatch(
      new RegExp(
        `published anchor #\\d+ of .* \\(entry ${second.id}, hash ${second.hash}\\) no longer matches the audit log: entry ${second.id} is missing from the log`,
      ),
    );
    expect(r.code).toBe(1);
  });

  it('a copy whose hash was changed does not verify', async () => {
    const { feed } = await mirror('now.json');
    const forged = {
      ...feed,
      anchors: [...JSON.parse((await import('node:fs')).readFileSync(mirrorA, 'utf8')).anchors],
    };
    forged.anchors[0] = {
      ...forged.anchors[0],
      hash: 'f'.repeat(64),
      signed: forged.anchors[0].signed.replace(/hash: [0-9a-f]+/, `hash: ${'f'.repeat(64)}`),
    };
    const f = path.join(dir, 'forged.json');
    writeFileSync(f, JSON.stringify(forged));
    const r = await cli('verify-audit', '--anchors', f);
    expect(r.out).toContain('its signature does not verify');
    expect(r.out).toContain('the published copy does not verify');
    expect(r.code).toBe(1);
    writeFileSync(path.join(dir, 'junk.json'), '{"hello": 1}');
    const junk = await cli('verify-audit', '--anchors', path.join(dir, 'junk.json'));
    expect(junk.out).toContain('is not an anchor list (format cau-noi-audit-anchors/v1)');
    expect(junk.code).toBe(1);
  });

  it('a consistent rewrite (every hash recomputed, anchors deleted) passes alone, but not against a mirror fetched by URL', async () => {
    await recordAudit(t.db, entry(5));
    expect((await cli('anchor-audit')).code).toBe(0);
    const { feed } = await mirror('b.json');
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(feed));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/audit/anchors.json`;
    try {
      expect((await cli('verify-audit', '--anchors', url)).code).toBe(0);
      // Rewrite entry 1's record ("Bài số 1" → "Bài đã sửa") and re-chain everything after it.
      await asAttacker(async (tx) => {
        const rows = await tx.query<{
          id: number;
          at: Date;
          actor_id: number | null;
          actor_label: string;
          action: string;
          entity_type: string;
          entity_id: string | null;
          unit_id: number | null;
          ip: string | null;
          data: Record<string, unknown>;
          prev_hash: string;
        }>(
          `SELECT id::int AS id, at, actor_id, actor_label, action, entity_type, entity_id, unit_id, ip, data, prev_hash FROM audit_log WHERE id >= $1 ORDER BY id`,
          [firstAnchorEntry],
        );
        let prev = rows[0].prev_hash;
        for (const r of rows) {
          const data = r.id === firstAnchorEntry ? { title: 'Bài đã sửa' } : r.data;
          const hash = entryHash(prev, new Date(r.at).toISOString(), {
            actorId: r.actor_id,
            actorLabel: r.actor_label,
            action: r.action,
            entityType: r.entity_type,
            entityId: r.entity_id,
            unitId: r.unit_id,
            ip: r.ip,
            data,
          });
          await tx.query(`UPDATE audit_log SET data = $2, prev_hash = $3, hash = $4 WHERE id = $1`, [
            r.id,
            JSON.stringify(data),
            prev,
            hash,
          ]);
          prev = hash;
        }
        await tx.query(`DELETE FROM audit_anchors`);
      });
      expect((await cli('verify-audit')).code).toBe(0);
      const r = await cli('verify-audit', '--anchors', url);
      expect(r.out).toMatch(/audit log BROKEN at entry \d+: the entry no longer has the anchored hash/);
      expect(r.out).toContain('the history up to it was rewritten after it was anchored');
      expect(r.code).toBe(1);
    } finally {
      server.close();
    }
  });
});
