import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/commands.js';
import { modules } from '../../src/modules/index.js';
import { testApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
const dir = mkdtempSync(path.join(tmpdir(), 'desk-import-'));
beforeAll(async () => {
  t = await testApp({ demo: false });
});
afterAll(async () => t?.close());

async function cli(...argv: string[]) {
  const lines: string[] = [];
  const code = await runCommand(t.deps, modules, argv, (l) => lines.push(l));
  return { code, out: lines.join('\n') };
}

const line = (o: Record<string, unknown>) => JSON.stringify(o);

describe('import-factchecks', () => {
  it('imports an archive, reports bad lines by number, and re-import by id updates', async () => {
    const file = path.join(dir, 'archive.jsonl');
    writeFileSync(
      file,
      [
        line({
          id: 'arc-001',
          claim: 'Uống nước chanh nóng chữa khỏi ung thư',
          verdict: 'Sai',
          summary: 'Sai: không có bằng chứng khoa học.',
          body: 'Các nghiên cứu không cho thấy tác dụng này.',
          sources: [{ title: 'Tổng quan nghiên cứu', publisher: 'Viện Ung thư', url: 'https://example.org/ung-thu' }],
          published_at: '2025-03-01T08:00:00+07:00',
          url: 'https://example.org/post/1',
        }),
        '{ not json',
        line({
          id: 'arc-002',
          claim: 'Thiếu nguồn',
          verdict: 'Sai',
          summary: 'x',
          body: 'y',
          sources: [],
          published_at: '2025-03-02',
        }),
        line({
          id: 'arc-003',
          claim: 'Mưa axit sẽ rơi ở Huế tuần tới',
          verdict: 'Không rõ',
          summary: 'x',
          body: 'y',
          sources: ['Nguồn A'],
          published_at: '2025-03-02',
        }),
        '',
        line({
          id: 'arc-004',
          claim: 'Drinking hot lemon water cures cancer',
          verdict: 'false',
          summary: 'False: there is no scientific evidence.',
          body: 'Studies show no such effect.',
          sources: ['https://example.org/study'],
          published_at: '2025-04-01',
        }),
        line({
          id: 'arc-005',
          claim: 'Tin có liên kết xấu',
          verdict: 'dung',
          summary: 'x',
          body: 'y',
          sources: [{ title: 'A', url: 'javascript:alert(1)' }],
          published_at: '2025-03-02',
        }),
        line({
          id: 'arc-006',
          claim: 'Ngày đăng hỏng',
          verdict: 'Đúng',
          summary: 'x',
          body: 'y',
          sources: ['A'],
          published_at: 'hôm qua',
        }),
      ].join('\n'),
    );
    const r = await cli('import-factchecks', file);
    expect(r.out).toContain('line 2: not valid JSON (skipped)');
    expect(r.out).toMatch(/line 3: sources: .*\(skipped\)/);
    expect(r.out).toMatch(/line 4: verdict: unknown value "Không rõ"/);
    expect(r.out).toMatch(/line 7: links must be http/);
    expect(r.out).toMatch(/line 8: published_at/);
    expect(r.out).toContain('imported 2 new, updated 0, skipped 5');
    expect(r.out).toContain('5 line(s) skipped');
    expect(r.code).toBe(1);

    const api = await t
      .client()
      .json('/api/v1/factchecks/match?text=' + encodeURIComponent('nuoc chanh nong chua ung thu') + '&limit=5');
    expect(api.status).toBe(200);
    expect(api.body.results[0]).toMatchObject({
      id: 'arc-001',
      verdict: 'Sai',
      title: 'Uống nước chanh nóng chữa khỏi ung thư',
    });
    expect(api.body.results[0].url).toMatch(/^http:\/\/test\.local\/factchecks\/\d+-uong-nuoc-chanh/);
    expect(api.body.results[0].score).toBeGreaterThan(0.3);
    const en = await t
      .client()
      .json('/api/v1/factchecks/match?text=' + encodeURIComponent('does hot lemon water cure cancer?'));
    expect(en.body.results[0].id).toBe('arc-004');
    const page = await t.client().get(new URL(api.body.results[0].url).pathname);
    expect(page.text).toContain('Viện Ung thư');

    writeFileSync(
      file,
      line({
        id: 'arc-001',
        claim: 'Uống nước chanh nóng chữa khỏi ung thư',
        verdict: 'Gây hiểu lầm',
        summary: 'Đã cập nhật kết luận.',
        body: 'Bản mới.',
        sources: ['https://example.org/moi'],
        published_at: '2025-03-01',
      }) + '\n',
    );
    const again = await cli('import-factchecks', file);
    expect(again.out).toContain('imported 0 new, updated 1, skipped 0');
    const rows = await t.db.query<{ verdict: string; summary: string; version: number }>(
      `SELECT verdict, summary, version FROM desk_items WHERE external_id = 'arc-001'`,
    );
    expect(rows).toEqual([{ verdict: 'gay-hieu-lam', summary: 'Đã cập nhật kết luận.', version: 2 }]);
    const missing = await cli('import-factchecks', path.join(dir, 'nope.jsonl'));
    expect(missing.code).toBe(1);
    expect(missing.out).toContain('cannot read');
  });

  it('configures the verdict scale from the CLI, used by editors and ClaimReview', async () => {
    const bad = await cli(
      'desk-verdict',
      '--code',
      'mot-phan',
      '--label',
      'Đúng một phần',
      '--label-en',
      'Half true',
      '--rating',
      '9',
    );
    expect(bad.code).toBe(2);
    const ok = await cli(
      'desk-verdict',
      '--code',
      'mot-phan',
      '--label',
      'Đúng một phần',
      '--label-en',
      'Half true',
      '--rating',
      '3',
      '--position',
      '2',
    );
    expect(ok.out).toContain('verdict mot-phan saved');
    const list = await cli('desk-verdict');
    expect(list.out).toMatch(/mot-phan\s+3\/5\s+warn\s+Đúng một phần \/ Half true/);
    expect(list.out).toContain('Sai / False');
    const ed = t.client();
    const r = await cli(
      'import-factchecks',
      (() => {
        const f = path.join(dir, 'half.jsonl');
        writeFileSync(
          f,
          line({
            id: 'arc-100',
            claim: 'Một nửa sự thật về giá xăng',
            verdict: 'Half true',
            summary: 'Đúng một phần.',
            body: '',
            sources: ['Nguồn B'],
            published_at: '2025-05-01',
          }),
        );
        return f;
      })(),
    );
    expect(r.out).toContain('imported 1 new');
    const item = await t.db.one<{ id: number }>(`SELECT id FROM desk_items WHERE external_id = 'arc-100'`);
    const page = await ed.get(`/factchecks/${item!.id}`);
    const ld = JSON.parse(page.text.match(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/)![1]);
    expect(ld.reviewRating).toMatchObject({ ratingValue: 3, alternateName: 'Đúng một phần' });
    const audit = await t.db.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'desk.verdict.save' AND entity_id = 'mot-phan'`,
    );
    expect(audit!.n).toBe(1);
  });

  it('validates the match API and limits it', async () => {
    const c = t.client();
    const empty = await c.json('/api/v1/factchecks/match?text=');
    expect(empty.status).toBe(422);
    expect(empty.body.error.fields.text).toBe('Trường này là bắt buộc.');
    const long = await c.json('/api/v1/factchecks/match?text=' + 'a'.repeat(2001));
    expect(long.status).toBe(422);
    const one = await c.json('/api/v1/factchecks/match?limit=1&text=' + encodeURIComponent('ung thư'));
    expect(one.body.results).toHaveLength(1);
    const spec = await c.json('/api/v1/openapi.json');
    expect(spec.body.paths['/api/v1/factchecks/match'].get).toBeTruthy();
  });

  it('rate-limits the match API per client', async () => {
    const limited = await testApp({ demo: false, env: { RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const c = limited.client({ ip: '198.51.100.7' });
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) codes.push((await c.json('/api/v1/factchecks/match?text=test')).status);
      expect(codes).toEqual([200, 200, 200, 429]);
    } finally {
      await limited.close();
    }
  });
});
