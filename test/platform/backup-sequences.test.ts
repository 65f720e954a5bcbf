import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boot } from '../../src/bootstrap.js';
import { runCommand } from '../../src/cli/commands.js';
import type { Db } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';
import { submitClaim } from '../../src/modules/desk/public.js';
import { moduleNames, modules } from '../../src/modules/index.js';
import { recordAudit, verifyAudit } from '../../src/platform/audit/audit.js';
import { createUser } from '../../src/platform/auth/service.js';
import { MemoryBlobStore } from '../../src/platform/files/store.js';
import { enqueue, Worker } from '../../src/platform/jobs/queue.js';
import { listSequences, listTables } from '../../src/platform/ops/backup.js';
import { testApp, TestClient, type TestApp } from '../helpers/app.js';
import { testConfig } from '../helpers/config.js';
import { testDb, testDbKind } from '../helpers/db.js';

const dir = mkdtempSync(path.join(tmpdir(), 'caunoi-seq-'));
const file = path.join(dir, 'demo.jsonl.gz');

async function cli(deps: TestApp['deps'], ...argv: string[]) {
  const lines: string[] = [];
  const code = await runCommand(deps, modules, argv, (l) => lines.push(l));
  return { code, out: lines.join('\n') };
}

let source: TestApp;
let fresh: Db;
let sourceSeqs: Awaited<ReturnType<typeof listSequences>>;

beforeAll(async () => {
  source = await testApp(); // every module's demo data: reports, claims, items, incidents, statements, members…
  sourceSeqs = await listSequences(source.db);
  expect((await cli(source.deps, 'backup', file)).code).toBe(0);
  fresh = await testDb({ demo: false });
  await migrate(fresh, moduleNames);
  const r = await cli({ ...source.deps, db: fresh, blobs: new MemoryBlobStore() }, 'restore', file);
  expect(r.out).toMatch(/restored \d+ rows/);
  expect(r.code).toBe(0);
});
afterAll(async () => {
  await fresh?.close();
  await source?.close();
});

describe(`restore into an empty database, then the first write of every kind (${testDbKind()})`, () => {
  it('every sequence is back where it stood, the standalone ones (mailbox_code_seq) too', async () => {
    const names = sourceSeqs.map((s) => s.name);
    expect(names).toContain('mailbox_code_seq');
    const here = new Map((await listSequences(fresh)).map((s) => [s.name, s]));
    for (const s of sourceSeqs) {
      const next = (x: { last_value: number; is_called: boolean }) => (x.is_called ? x.last_value + 1 : x.last_value);
      expect({ name: s.name, next: next(here.get(s.name)!) }).toEqual({ name: s.name, next: next(s) });
    }
  });

  it('every serial and identity column of every module gets a new id past the restored ones', async () => {
    let checked = 0;
    for (const t of await listTables(fresh)) {
      for (const col of t.sequenced) {
        const max = Number(
          (await fresh.one<{ m: string | null }>(`SELECT max("${col}")::text AS m FROM "${t.name}"`))!.m ?? 0,
        );
        const next = Number(
          (await fresh.one<{ n: string }>(`SELECT nextval(pg_get_serial_sequence($1, $2))::text AS n`, [
            `"${t.name}"`,
            col,
          ]))!.n,
        );
        expect({ table: t.name, ok: next > max }).toEqual({ table: t.name, ok: true });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('a new report, claim, account, token, job and audit entry are accepted on the restored database', async () => {
    const deps = await boot({
      config: testConfig(),
      log: createLogger('silent'),
      modules,
      db: fresh,
      blobs: new MemoryBlobStore(),
    });
    const app = createApp(deps, modules);
    const c = new TestClient(app);
    // A report through Open311 (its tracking code comes from mailbox_code_seq: a duplicate was a 500 before).
    const key = await cli(deps, 'create-api-key', '--name', 'Sau khôi phục');
    expect(key.code).toBe(0);
    const form = new URLSearchParams({
      api_key: key.out.trim(),
      service_code: 'moi-truong',
      lat: '16.4637',
      long: '107.5909',
      description: 'Ổ gà lớn trên đường sau khi khôi phục dữ liệu',
    });
    for (let i = 0; i < 2; i++) {
      const r = await c.json('/open311/v2/requests.json', {
        method: 'POST',
        body: form,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(r.status).toBe(201);
      expect(r.body[0].service_request_id).toMatch(/^PA-\d{4}-\d{6}$/);
    }
    const claim = await submitClaim(deps, { text: 'Có thật là sắp mất điện toàn thành phố không?', source: 'public' });
    expect(claim.code).toBeTruthy();
    expect(
      await createUser(fresh, { email: 'moi@example.vn', name: 'Người mới', password: 'mat-khau-dai-1' }, 'test'),
    ).toBeGreaterThan(0);
    expect(await enqueue(fresh, 'ops.delay', { ms: 0 })).toBeGreaterThan(0);
    await recordAudit(fresh, { actorLabel: 'test', action: 'after.restore', entityType: 'test' });
    expect((await verifyAudit(fresh)).ok).toBe(true);
  });

  it('staff and residents write through the pages: a mailbox report, a desk item, a crisis incident and statement, a network member', async () => {
    const deps = await boot({
      config: testConfig(),
      log: createLogger('silent'),
      modules,
      db: fresh,
      blobs: new MemoryBlobStore(),
    });
    const app = createApp(deps, modules);
    const count = async (table: string) =>
      Number((await fresh.one<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`))!.n);
    // a resident's report through the JSON API
    const resident = new TestClient(app, '192.0.2.41');
    const report = await resident.json('/api/v1/mailbox/reports', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        category: 'giao-thong',
        unit: '19777',
        title: 'Đèn tín hiệu hỏng sau khôi phục',
        description: 'Đèn tín hiệu ngã tư Lê Lợi không sáng.',
      }),
    });
    expect(report.status).toBe(201);
    expect(report.body.code).toMatch(/^PA-\d{4}-\d{6}$/);
    expect((await resident.get(new URL(report.body.status_url).pathname)).text).toContain(
      'Đèn tín hiệu hỏng sau khôi phục',
    );
    // an editor's desk item
    const editor = new TestClient(app, '192.0.2.42');
    await editor.signIn('editor@demo.local');
    await editor.get('/staff/desk/items/new?kind=article');
    const items = await count('desk_items');
    const item = await editor.post('/staff/desk/items', {
      kind: 'article',
      title: 'Bài viết đầu tiên sau khôi phục',
      summary: 'Tóm tắt bài viết.',
      body: 'Nội dung bài viết.',
      sources: '',
    });
    expect(item.status, item.text.slice(0, 300)).toBe(303);
    expect((await editor.get(item.location!)).text).toContain('Bài viết đầu tiên sau khôi phục');
    expect(await count('desk_items')).toBe(items + 1);
    // a crisis incident and a statement in it
    const top = (await fresh.one<{ id: number }>(`SELECT id FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1`))!
      .id;
    await editor.get('/staff/crisis/incidents/new');
    const incident = await editor.post('/staff/crisis/incidents', {
      title: 'Ngập cục bộ sau khôi phục',
      titleEn: '',
      type: 'natural',
      severity: 'moderate',
      summary: 'Ngập ở vài tuyến đường.',
      summaryEn: '',
      unitId: String(top),
      unitIds: String(top),
      spokespersonName: 'Người phát ngôn',
      spokespersonTitle: '',
      spokespersonPhone: '',
      spokespersonEmail: '',
      hotlines: '',
      areaPolygon: '',
      areaCircle: '',
    });
    expect(incident.status, incident.text.slice(0, 300)).toBe(303);
    const incidentId = Number(incident.location!.match(/incidents\/(\d+)/)![1]);
    expect((await editor.get(`/staff/crisis/incidents/${incidentId}`)).text).toContain('Ngập cục bộ sau khôi phục');
    await editor.get('/staff/crisis/statements/new');
    const statement = await editor.post('/staff/crisis/statements', {
      incidentId: String(incidentId),
      unitId: '',
      kind: 'notice',
      refersTo: '',
      title: 'Thông báo tránh tuyến đường ngập',
      titleEn: '',
      body: 'Người dân tránh đường Lê Lợi.',
      bodyEn: '',
      listIds: '',
    });
    expect(statement.status, statement.text.slice(0, 300)).toBe(303);
    expect((await editor.get(statement.location!)).text).toContain('Thông báo tránh tuyến đường ngập');
    // a network member, imported by the ward's leader
    const ward = (await fresh.one<{ id: number }>(`SELECT id FROM units WHERE full_name = 'Phường Thuận Hoá'`))!.id;
    await editor.get('/network/manage');
    const imported = await editor.post(
      '/network/manage/import',
      { unit: String(ward), csv: 'email,name\nsau.khoi.phuc@example.org,Thành Viên Mới' },
      { multipart: true },
    );
    // the import is a job; its page shows each row's result once the job ran
    expect(imported.status).toBe(303);
    await new Worker(fresh, deps.jobs, { concurrency: 1 }).drain();
    expect((await editor.get(imported.location!)).text).toContain('Đã thêm');
    expect(await fresh.one(`SELECT 1 FROM users WHERE email = 'sau.khoi.phuc@example.org'`)).toBeTruthy();
  });
});
