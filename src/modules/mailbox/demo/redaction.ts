/** Demo rows for issue 15: a report whose phone number is masked and a passage hidden, outcomes, response templates. */
import type { Deps } from '../../../http/context.js';
import type { DemoContext } from '../../../http/module.js';
import * as repo from '../repo.js';
import { createReport } from '../service.js';

export const DEMO_REDACTED_TITLE = 'Xe tải đỗ chiếm lòng đường trước chợ Đông Ba';

export async function seedPracticeDemo(deps: Deps, demo: DemoContext): Promise<void> {
  const db = deps.db;
  const cat = async (code: string) => (await repo.findCategoryByCode(db, code))?.id ?? null;
  // security reports are not for publication by default (the categories were created after migration 007)
  await db.query(`UPDATE mailbox_categories SET not_public_default = true WHERE code = 'an-ninh'`);
  await db.query(
    `UPDATE mailbox_reports SET not_public = true WHERE category_id = (SELECT id FROM mailbox_categories WHERE code = 'an-ninh')`,
  );

  const handler = demo.users.handler;
  const traffic = await cat('giao-thong');
  if (traffic) {
    const unit = demo.communeIds[1] ?? demo.communeIds[0];
    const created = await createReport(
      deps,
      {
        category: traffic,
        unit,
        title: DEMO_REDACTED_TITLE,
        description:
          'Một xe tải biển số 75C-123.45 đỗ chiếm gần hết lòng đường trước chợ Đông Ba từ 5 giờ sáng. Chủ xe là ông Hoàng Văn Bảy ở kiệt 14 nói sẽ không dời đi. Cần thì gọi tôi: 0905 123 456.',
        address: 'Trước cổng chợ Đông Ba',
        lat: 16.4738,
        lon: 107.5869,
        name: 'Nguyễn Thị Mai',
        phone: '0905123456',
        email: null,
        show_name: false,
      },
      { source: 'demo', locale: 'vi', receivedAt: new Date(Date.now() - 9 * 86400_000) },
    );
    const r = (await repo.reportById(db, created.id))!;
    const agencyId = r.agency_id ?? demo.agencyIds[1];
    const agency = (await repo.findAgency(db, agencyId))!;
    const t0 = Date.now() - 9 * 86400_000;
    const answer =
      'UBND phường đã làm việc với ông Hoàng Văn Bảy, lập biên bản và yêu cầu không đỗ xe tải trước chợ. Lực lượng trật tự đô thị kiểm tra hằng ngày vào buổi sáng.';
    await repo.updateReport(db, r.id, {
      status: 'closed',
      agency_id: agencyId,
      accepted_at: new Date(t0 + 3600_000),
      assigned_at: new Date(t0 + 3600_000),
      answer,
      answered_at: new Date(t0 + 3 * 86400_000),
      first_answered_at: new Date(t0 + 3 * 86400_000),
      answered_on_time: true,
      answered_by: handler,
      approved_by: demo.users.reviewer,
      closed_at: new Date(t0 + 4 * 86400_000),
    });
    await repo.insertEvent(db, {
      reportId: r.id,
      kind: 'accepted',
      visibility: 'public',
      actorId: handler,
      actorLabel: 'Phạm Thu Xử',
      at: new Date(t0 + 3600_000),
    });
    await repo.insertEvent(db, {
      reportId: r.id,
      kind: 'assigned',
      visibility: 'public',
      actorId: handler,
      actorLabel: 'Phạm Thu Xử',
      data: { agency: agency.name, agency_en: agency.name_en ?? agency.name },
      at: new Date(t0 + 3600_000 + 60_000),
    });
    await repo.insertEvent(db, {
      reportId: r.id,
      kind: 'redacted',
      visibility: 'internal',
      actorId: handler,
      actorLabel: 'Phạm Thu Xử',
      at: new Date(t0 + 2 * 3600_000),
    });
    await repo.insertEvent(db, {
      reportId: r.id,
      kind: 'answered',
      visibility: 'public',
      actorId: demo.users.reviewer,
      actorLabel: agency.name,
      body: answer,
      at: new Date(t0 + 3 * 86400_000),
    });
    await db.query(
      `INSERT INTO mailbox_redactions (report_id, passage, created_by, created_at) VALUES ($1, 'ông Hoàng Văn Bảy', $2, $3)`,
      [r.id, handler, new Date(t0 + 2 * 3600_000)],
    );
    await db.query(`UPDATE mailbox_reports SET outcome = 'fixed', outcome_at = $2, outcome_by = $3 WHERE id = $1`, [
      r.id,
      new Date(t0 + 4 * 86400_000),
      handler,
    ]);
    await repo.insertEvent(db, {
      reportId: r.id,
      kind: 'outcome.fixed',
      visibility: 'public',
      actorId: handler,
      actorLabel: agency.name,
      at: new Date(t0 + 4 * 86400_000),
    });
  }

  // outcomes on the closed demo reports: most fixed, one not fixed with a reason, one passed to another body
  const closed = await db.query<{ id: number; closed_at: Date; agency_name: string | null }>(
    `SELECT r.id, r.closed_at, a.name AS agency_name FROM mailbox_reports r LEFT JOIN agencies a ON a.id = r.agency_id
     WHERE r.status = 'closed' AND r.outcome IS NULL AND r.source = 'demo' ORDER BY r.id`,
  );
  const notes: Record<number, [string, string]> = {
    1: [
      'not_fixed',
      'Tuyến đường thuộc dự án chỉnh trang đô thị năm sau; trong thời gian chờ, phường đã đặt biển cảnh báo.',
    ],
    2: ['not_ours', 'Công ty Cổ phần Cấp nước Thừa Thiên Huế'],
  };
  for (const [i, x] of closed.entries()) {
    const [outcome, note] = notes[i] ?? ['fixed', ''];
    await db.query(
      `UPDATE mailbox_reports SET outcome = $2, outcome_note = $3, outcome_at = $4, outcome_by = $5 WHERE id = $1`,
      [x.id, outcome, note || null, x.closed_at, handler],
    );
    await repo.insertEvent(db, {
      reportId: x.id,
      kind: `outcome.${outcome}`,
      visibility: 'public',
      actorId: handler,
      actorLabel: x.agency_name ?? 'Phạm Thu Xử',
      body: note || null,
      at: new Date(new Date(x.closed_at).getTime() + 2000),
    });
  }

  // response templates kept by the province's reviewers
  const templates: [string, string | null, string][] = [
    [
      'Trả lời chung: đã tiếp nhận và xử lý',
      null,
      'Kính gửi {resident_name},\n\n{agency} đã tiếp nhận phản ánh {code} “{title}” và đã kiểm tra, xử lý như sau:\n\n…\n\nCảm ơn ông/bà đã phản ánh. Nếu sự việc còn tiếp diễn, ông/bà có thể mở lại phản ánh bằng đường dẫn riêng.',
    ],
    [
      'Môi trường: đã kiểm tra hiện trường',
      'moi-truong',
      'Kính gửi {resident_name},\n\nVề phản ánh {code} tại {unit}, {agency} đã kiểm tra hiện trường, lập biên bản và yêu cầu khắc phục. Kết quả kiểm tra lại sẽ được cập nhật trước ngày {deadline}.',
    ],
    [
      'Giao thông: đã chuyển đơn vị quản lý đường',
      'giao-thong',
      'Kính gửi {resident_name},\n\nPhản ánh {code} về {category} đã được {agency} chuyển đơn vị quản lý tuyến đường để sửa chữa. Thời hạn xử lý: {deadline}.',
    ],
  ];
  for (const [name, code, body] of templates) {
    await db.query(
      `INSERT INTO mailbox_templates (unit_id, category_id, name, body, created_by) VALUES ($1, $2, $3, $4, $5)`,
      [demo.provinceId, code ? await cat(code) : null, name, body, demo.users.reviewer],
    );
  }
}
