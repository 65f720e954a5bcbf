import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/commands.js';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/client.js';
import { modules } from '../../src/modules/index.js';
import { nextAnchorRun } from '../../src/platform/audit/anchors.js';
import { entryHash, recordAudit, verifyAudit } from '../../src/platform/audit/audit.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { makeCityStaff } from '../helpers/factories.js';
import { startSmtp } from '../helpers/smtp.js';

const EMAIL = 'kiemtoan@stp.hue.gov.vn';
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let t: TestApp;

beforeAll(async () => {
  smtp = await startSmtp();
  t = await testApp({
    demo: false,
    env: {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Cầu Nối <no-reply@caunoi.test>',
      AUDIT_ANCHOR_EMAIL: EMAIL,
      ORG_NAME: 'UBND Thành phố Huế',
    },
  });
  await t.drainJobs(); // whatever booting queued
  await makeCityStaff(t.db, 'anchors'); // the admin who reads the audit page and an editor who may not
  // a history below the first anchor for the tampering cases to change
  for (const i of [101, 102, 103, 104]) await recordAudit(t.db, entry(i));
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

async function cli(argv: string[], db: Db = t.db) {
  const lines: string[] = [];
  const code = await runCommand({ ...t.deps, db }, modules, argv, (l) => lines.push(l));
  return { code, out: lines.join('\n') };
}

const head = async (db: Db = t.db) =>
  (await db.one<{ id: number; hash: string }>(`SELECT id::int AS id, hash FROM audit_log ORDER BY id DESC LIMIT 1`))!;
const mailsToAuditor = () => smtp.mails.filter((m) => m.to.includes(EMAIL));
const entry = (i: number) => ({
  actorLabel: 'editor@anchors.test',
  action: 'desk.article.publish',
  entityType: 'article',
  entityId: i,
  data: { title: `Bài số ${i}` },
});

/** Runs `fn` in a transaction with the audit triggers held off (as a superuser with database access could), then rolls it back. */
async function tampered(fn: (tx: Db) => Promise<void>): Promise<void> {
  await t.db
    .tx(async (tx) => {
      await tx.query(`SET LOCAL session_replication_role = replica`);
      await fn(tx);
      throw new Error('rollback');
    })
    .catch((err: Error) => {
      if (err.message !== 'rollback') throw err;
    });
}

let first: { id: number; hash: string };

describe(`audit anchors (${testDbKind()})`, () => {
  it('anchor-audit records the chain head and e-mails its hash to AUDIT_ANCHOR_EMAIL through the SMTP peer', async () => {
    await recordAudit(t.db, entry(1));
    first = await head();
    const r = await cli(['anchor-audit']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`anchor #1: entry ${first.id}, hash ${first.hash} (e-mail to ${EMAIL} queued)`);
    const row = await t.db.one<{ last_id: number; hash: string; entries: number; emailed_to: string }>(
      `SELECT last_id::int AS last_id, hash, entries, emailed_to FROM audit_anchors`,
    );
    expect(row).toEqual({
      last_id: first.id,
      hash: first.hash,
      entries: (await verifyAudit(t.db)).entries,
      emailed_to: EMAIL,
    });

    await t.drainJobs();
    const [mail] = await smtp.waitFor(1).then(mailsToAuditor);
    expect(mail.subject).toBe(`Mốc nhật ký thao tác UBND Thành phố Huế: mục ${first.id}`);
    expect(mail.text).toContain(`Mã băm (SHA-256): ${first.hash}`);
    expect(mail.text).toContain(`Mục cuối: ${first.id}`);
    expect(mail.text).toContain('http://test.local');
    // The e-mail copy carries the anchor's signature with the installation key, and where the anchors are published.
    const signed = (await t.db.one<{ key_id: string; signature: string }>(
      `SELECT key_id, signature FROM audit_anchors WHERE id = 1`,
    ))!;
    expect(signed.signature).toMatch(/^[A-Za-z0-9+/]{86}==$/);
    expect(mail.text).toContain(`Khóa ký: ${signed.key_id}`);
    expect(mail.text).toContain(`Chữ ký (Ed25519): ${signed.signature}`);
    expect(mail.text).toContain('http://test.local/audit/anchors.json');
  });

  it('records nothing when the head has not moved', async () => {
    const r = await cli(['anchor-audit']);
    expect(r).toEqual({ code: 0, out: `no new entries since anchor #1 (entry ${first.id}): nothing recorded` });
    expect((await t.db.one<{ n: number }>(`SELECT count(*)::int AS n FROM audit_anchors`))!.n).toBe(1);
  });

  it('the daily schedule runs the same job', async () => {
    expect(nextAnchorRun(new Date('2026-11-23T10:00:00Z')).toISOString()).toBe('2026-11-23T17:15:00.000Z');
    expect(nextAnchorRun(new Date('2026-11-23T17:15:00Z')).toISOString()).toBe('2026-11-24T17:15:00.000Z');
    await t.drainJobs(); // creates the schedule's row
    const sched = await t.db.one<{ next_run_at: Date }>(
      `SELECT next_run_at FROM job_schedules WHERE name = 'audit.anchor'`,
    );
    expect(new Date(sched!.next_run_at).getUTCHours()).toBe(17);
    await recordAudit(t.db, entry(2));
    await recordAudit(t.db, entry(3));
    await t.db.query(`UPDATE job_schedules SET next_run_at = now() - interval '1 second' WHERE name = 'audit.anchor'`);
    await t.drainJobs();
    const h = await head();
    const anchors = await t.db.query<{ id: number; last_id: number; hash: string }>(
      `SELECT id, last_id::int AS last_id, hash FROM audit_anchors ORDER BY id`,
    );
    expect(anchors.map((a) => a.last_id)).toEqual([first.id, h.id]);
    expect(anchors[1].hash).toBe(h.hash);
    await smtp.waitFor(2);
    expect(mailsToAuditor().map((m) => m.text.includes(h.hash))).toEqual([false, true]);
  });

  it('verify-audit checks every anchor', async () => {
    const r = await cli(['verify-audit']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^audit log intact: \d+ entries\n2 anchors match the log$/);
  });

  it('a hash changed in the database below an anchor fails verification, naming the anchor', async () => {
    const victim = (await t.db.one<{ id: number }>(
      `SELECT id::int AS id FROM audit_log WHERE id < $1 ORDER BY id DESC OFFSET 2 LIMIT 1`,
      [first.id],
    ))!.id;
    await tampered(async (tx) => {
      await tx.query(`UPDATE audit_log SET hash = repeat('a', 64) WHERE id = $1`, [victim]);
      const r = await cli(['verify-audit'], tx);
      expect(r.code).toBe(1);
      const [line1, line2] = r.out.split('\n');
      expect(line1).toContain(`audit log BROKEN at entry ${victim}`);
      expect(line2).toMatch(
        new RegExp(
          `^anchor #1 of \\S+Z \\(entry ${first.id}, hash ${first.hash}\\) no longer matches the audit log: the history below it was changed \\(entry ${victim}: `,
        ),
      );
    });
    expect((await verifyAudit(t.db)).ok).toBe(true);
  });

  it('a history rewritten with every hash recomputed passes the chain check but not the anchors', async () => {
    const victim = (await t.db.one<{ id: number }>(
      `SELECT id::int AS id FROM audit_log WHERE id < $1 ORDER BY id DESC LIMIT 1`,
      [first.id],
    ))!.id;
    await tampered(async (tx) => {
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
      }>(`SELECT * FROM audit_log WHERE id >= $1 ORDER BY id`, [victim]);
      let prev = rows[0].prev_hash;
      for (const r of rows) {
        const data = Number(r.id) === victim ? { ...r.data, forged: 'nội dung bị sửa' } : r.data;
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
      const check = await verifyAudit(tx);
      expect(check).toMatchObject({
        ok: false,
        brokenAt: first.id,
        reason: 'the entry no longer has the anchored hash',
        brokenAnchor: { id: 1, lastId: first.id, hash: first.hash },
      });
      const r = await cli(['verify-audit'], tx);
      expect(r.code).toBe(1);
      expect(r.out).toContain(`anchor #1 of `);
      expect(r.out).toContain(
        `(entry ${first.id}, hash ${first.hash}) no longer matches the audit log: entry ${first.id} now has hash `,
      );
      expect(r.out).toContain('the history up to it was rewritten after it was anchored');
      // A broken history is never anchored.
      const a = await cli(['anchor-audit'], tx);
      expect(a.code).toBe(1);
      expect(a.out).toContain('not anchored');
    });
  });

  it('a log cut off below an anchored entry fails, naming the anchor', async () => {
    const h = await head();
    await tampered(async (tx) => {
      await tx.query(`DELETE FROM audit_log WHERE id >= $1`, [h.id]);
      const r = await cli(['verify-audit'], tx);
      expect(r.code).toBe(1);
      expect(r.out).toContain(`anchor #2 of `);
      expect(r.out).toContain(`no longer matches the audit log: entry ${h.id} is missing from the log`);
    });
  });

  it('anchors are append-only', async () => {
    await expect(t.db.query(`UPDATE audit_anchors SET hash = repeat('b', 64)`)).rejects.toThrow(/append-only/);
    await expect(t.db.query(`DELETE FROM audit_anchors`)).rejects.toThrow(/append-only/);
  });

  it('the staff audit page shows the latest anchors to admins', async () => {
    const anchors = await t.db.query<{ id: number; last_id: number; hash: string }>(
      `SELECT id, last_id::int AS last_id, hash FROM audit_anchors ORDER BY id DESC`,
    );
    const admin = t.client();
    await admin.signIn('admin@anchors.test');
    const page = await admin.get('/staff/audit');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Mốc kiểm chứng nhật ký');
    const section = page.text.slice(page.text.indexOf('id="anchors"'));
    for (const a of anchors) {
      expect(section).toContain(`data-anchor-id="${a.id}"`);
      expect(section.replace(/<wbr\s*\/?>/g, '')).toContain(a.hash);
      expect(section).toContain(`<td>${a.last_id}</td>`);
    }
    expect(section).toContain(EMAIL);
    expect(section.indexOf(`data-anchor-id="${anchors[0].id}"`)).toBeLessThan(
      section.indexOf(`data-anchor-id="${anchors[1].id}"`),
    );
    const en = await admin.get('/staff/audit?lang=en');
    expect(en.text).toContain('Audit log anchors');

    const editor = t.client();
    await editor.signIn('editor@anchors.test');
    const denied = await editor.get('/staff/audit');
    expect(denied.status).toBe(403);
    expect(denied.text).not.toContain(anchors[0].hash.slice(0, 16));
  });

  it('AUDIT_ANCHOR_EMAIL must be one address', () => {
    expect(() => loadConfig({ AUDIT_ANCHOR_EMAIL: 'not an address' })).toThrow(
      /AUDIT_ANCHOR_EMAIL: must be one e-mail address/,
    );
    expect(() => loadConfig({ AUDIT_ANCHOR_EMAIL: 'a@x.vn, b@x.vn' })).toThrow(/AUDIT_ANCHOR_EMAIL/);
    expect(loadConfig({ AUDIT_ANCHOR_EMAIL: EMAIL }).AUDIT_ANCHOR_EMAIL).toBe(EMAIL);
  });
});
