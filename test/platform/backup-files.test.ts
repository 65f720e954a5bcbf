import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/commands.js';
import { modules } from '../../src/modules/index.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { fileReport, ids, jpeg } from '../mailbox/helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'caunoi-backup-files-'));
let t: TestApp;
let fresh: TestApp;

async function cli(app: TestApp, ...argv: string[]) {
  const lines: string[] = [];
  const code = await runCommand(app.deps, modules, argv, (l) => lines.push(l));
  return { code, out: lines.join('\n') };
}

/** The bytes a browser gets for `url`. */
async function fetchBytes(app: TestApp, url: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const res = await app.app.request(url, { headers: { 'x-test-ip': '198.51.100.10' } });
  return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

beforeAll(async () => {
  [t, fresh] = await Promise.all([testApp(), testApp({ demo: false })]);
});
afterAll(async () => {
  await Promise.all([t?.close(), fresh?.close()]);
});

describe(`a resident's photo survives backup and restore into an empty installation (${testDbKind()})`, () => {
  let photoUrl: string;
  let original: Buffer;
  const file = path.join(dir, 'with-photo.jsonl.gz');

  it('files a report with a photo through the form and backs up', async () => {
    const u = await ids(t);
    const { link, page } = await fileReport(t.client({ ip: '198.51.100.10' }), {
      category: String(u.env),
      unit: String(u.thuanHoa),
      title: 'Cây đổ chắn lối đi kiệt 5 Nguyễn Huệ',
      description: 'Cây xanh bật gốc sau mưa to, chắn hết lối đi của người dân.',
      photos: await jpeg(120, 90),
    });
    expect(page).not.toMatch(/\/photos\/[0-9a-f-]{36}/); // the photo is cleaned by a job before anyone sees it
    await t.drainJobs();
    const ready = (await t.client({ ip: '198.51.100.10' }).get(link)).text;
    photoUrl = `${link}/photos/${ready.match(/\/photos\/([0-9a-f-]{36})/)![1]}`;
    const before = await fetchBytes(t, photoUrl);
    expect(before.status).toBe(200);
    expect(before.type).toBe('image/jpeg');
    original = before.bytes;
    expect(original.subarray(0, 2).toString('hex')).toBe('ffd8');

    const r = await cli(t, 'backup', file);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/, [1-9]\d* files \(/);
  });

  it('the empty installation does not know the report, then serves the same photo byte for byte after the restore', async () => {
    expect((await fetchBytes(fresh, photoUrl)).status).toBe(404);
    const r = await cli(fresh, 'restore', file);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/restored [1-9]\d* uploaded files \([\d.]+ (B|KiB|MiB)\), every checksum verified/);
    const after = await fetchBytes(fresh, photoUrl);
    expect(after.status).toBe(200);
    expect(after.type).toBe('image/jpeg');
    expect(after.bytes.equals(original)).toBe(true);
    // every uploaded file is back; the thumbnail and medium sizes are derived, left out and made again when asked for
    const listed = await fresh.db.query<{ storage_key: string }>(`SELECT DISTINCT storage_key FROM files`);
    expect([...fresh.blobs.blobs.keys()].sort()).toEqual(listed.map((f) => f.storage_key).sort());
    expect(t.blobs.blobs.size).toBeGreaterThan(listed.length);
  });

  it('a backup whose photo was swapped is refused and the installation keeps what it had', async () => {
    const lines = gunzipSync(readFileSync(file)).toString('utf8').trimEnd().split('\n');
    const i = lines.findIndex((l) => l.startsWith('{"$file"'));
    const o = JSON.parse(lines[i]);
    o.data = Buffer.from(await (await jpeg(10, 10)).arrayBuffer()).toString('base64'); // another picture, same name and checksum field
    lines[i] = JSON.stringify(o);
    const bad = path.join(dir, 'swapped.jsonl.gz');
    writeFileSync(bad, gzipSync(lines.join('\n') + '\n'));
    const r = await cli(fresh, 'restore', bad, '--yes');
    expect(r.code).toBe(1);
    expect(r.out).toContain(`file ${o.$file} does not match its checksum; nothing was restored`);
    const still = await fetchBytes(fresh, photoUrl);
    expect(still.status).toBe(200);
    expect(still.bytes.equals(original)).toBe(true);
  });
});
