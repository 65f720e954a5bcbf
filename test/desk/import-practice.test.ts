/** Issue 15, desk practice: import-factchecks fails on skipped lines, keeps `url` as the fact-check's own address, and a re-import that changes a verdict leaves a correction. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/commands.js';
import { modules } from '../../src/modules/index.js';
import { testApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
const dir = mkdtempSync(path.join(tmpdir(), 'desk-import-practice-'));
beforeAll(async () => {
  t = await testApp({ demo: false });
});
afterAll(async () => t?.close());

async function cli(...argv: string[]) {
  const lines: string[] = [];
  const code = await runCommand(t.deps, modules, argv, (l) => lines.push(l));
  return { code, out: lines.join('\n') };
}
const file = (name: string, lines: Record<string, unknown>[]) => {
  const f = path.join(dir, name);
  writeFileSync(f, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return f;
};
const base = {
  id: 'kho-001',
  claim: 'Ăn tỏi sống mỗi sáng phòng được cúm',
  verdict: 'Sai',
  summary: 'Sai: không có bằng chứng.',
  body: 'Giải thích chi tiết.',
  sources: [{ title: 'Khuyến cáo phòng cúm', publisher: 'Bộ Y tế', url: 'https://example.org/cum' }],
  published_at: '2025-02-01T08:00:00+07:00',
  url: 'https://kiemchung.example.org/bai/an-toi-phong-cum',
  appearances: [{ description: 'Bài đăng chia sẻ trong nhóm sức khỏe', url: 'https://social.example.org/p/9' }],
};

describe('import-factchecks in practice', () => {
  it('exits non-zero with the count when a line is skipped, and 0 when all lines are good', async () => {
    const bad = await cli(
      'import-factchecks',
      file('bad.jsonl', [base, { ...base, id: 'kho-002', verdict: 'Không rõ' }]),
    );
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('imported 1 new, updated 0, skipped 1');
    expect(bad.out).toContain('1 line(s) skipped');
    const good = await cli(
      'import-factchecks',
      file('good.jsonl', [{ ...base, id: 'kho-003', claim: 'Uống nước đá gây viêm phổi ngay' }]),
    );
    expect(good.code).toBe(0);
    const same = await cli('import-factchecks', file('same.jsonl', [base]));
    expect(same.out).toContain('unchanged 1');
    expect(same.code).toBe(0);
  });

  it('`url` is the fact-check’s own canonical address; where the claim appeared is listed as an appearance', async () => {
    const row = (await t.db.one<{ id: number }>(`SELECT id FROM desk_items WHERE external_id = 'kho-001'`))!;
    const page = await t.client().get(`/factchecks/${row.id}`);
    const ld = JSON.parse(page.text.match(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/)![1]);
    expect(ld.url).toBe('https://kiemchung.example.org/bai/an-toi-phong-cum');
    expect(ld.itemReviewed.appearance.map((a: { url: string }) => a.url)).toEqual(['https://social.example.org/p/9']);
    expect(page.text).toContain('href="https://kiemchung.example.org/bai/an-toi-phong-cum"');
    expect(page.text).toContain('Bài đăng chia sẻ trong nhóm sức khỏe');
  });

  it('a re-import that changes a published verdict leaves a correction note on the page, never a silent change', async () => {
    const r = await cli(
      'import-factchecks',
      file('again.jsonl', [
        {
          ...base,
          verdict: 'Gây hiểu lầm',
          summary: 'Gây hiểu lầm: tỏi có lợi nhưng không phòng được cúm.',
          correction: 'Có nghiên cứu mới về tác dụng của tỏi',
        },
      ]),
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('updated 1');
    const row = (await t.db.one<{ id: number; verdict: string }>(
      `SELECT id, verdict FROM desk_items WHERE external_id = 'kho-001'`,
    ))!;
    expect(row.verdict).toBe('gay-hieu-lam');
    const page = await t.client().get(`/factchecks/${row.id}`);
    expect(page.text).toContain('Đính chính');
    expect(page.text).toContain(
      'Kết luận đổi từ “Sai” thành “Gây hiểu lầm”. — Lý do: Có nghiên cứu mới về tác dụng của tỏi',
    );
    const noReason = await cli('import-factchecks', file('again2.jsonl', [{ ...base, verdict: 'Sai' }]));
    expect(noReason.code).toBe(0);
    const page2 = await t.client().get(`/factchecks/${row.id}`);
    expect(page2.text).toContain(
      'Kết luận đổi từ “Gây hiểu lầm” thành “Sai”. — Lý do: Cập nhật từ kho lưu trữ bài kiểm chứng (nhập lại).',
    );
    const audit = await t.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE entity_type = 'desk.item' AND entity_id = $1 ORDER BY id`,
      [String(row.id)],
    );
    expect(audit.map((a) => a.action)).toEqual([
      'desk.item.import',
      'desk.item.import-update',
      'desk.item.import-update',
    ]);
  });
});
