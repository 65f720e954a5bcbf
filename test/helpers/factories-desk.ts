import type { Db } from '../../src/db/client.js';
import { upsertTopic } from '../../src/modules/desk/repo.js';

/**
 * The water-cut rumour (the demo's wording): Huế to cut tap water city-wide for five days. The `form` of makeFactcheck;
 * questions about cutting water in Huế for five days match it.
 */
export const WATER_CUT_FACTCHECK = {
  title: 'Không có chuyện cắt nước toàn thành phố 5 ngày để súc rửa đường ống',
  claim:
    'Thành phố Huế sẽ cắt nước sinh hoạt toàn bộ trong 5 ngày liên tiếp từ thứ Hai tới để súc rửa đường ống, người dân cần trữ nước ngay.',
  summary:
    'Sai. Công ty cấp nước chỉ tạm ngừng cấp nước 6 giờ tại một số tuyến đường ở phường Thuận Hoá để thay van, có thông báo trước.',
  appearances:
    'Tin nhắn chuyển tiếp trong các nhóm chat của khu dân cư, kèm ảnh chụp một văn bản không có số hiệu | https://example.org/nhom-chat/1',
  claim_date: '2026-11-04',
};

/** The pension text-message scam (the demo's wording). The `form` of makeFactcheck. */
export const PENSION_FACTCHECK = {
  title: 'Tin nhắn báo “nhận tiền hỗ trợ lương hưu” là lừa đảo',
  claim: 'Người về hưu bấm vào đường link trong tin nhắn để nhận 3 triệu đồng tiền hỗ trợ lương hưu của nhà nước.',
  summary:
    'Sai, đây là lừa đảo. Cơ quan bảo hiểm xã hội không gửi đường link nhận tiền qua tin nhắn; đường link dẫn đến trang giả mạo để lấy mật khẩu ngân hàng.',
};

/**
 * A desk topic (the demo's: 'y-te' Y tế, 'lua-dao' Lừa đảo trực tuyến…). Topics have no service of their own (they
 * are reference rows, set up like the demo sets them up), so this goes through the desk repo.
 */
export function makeTopic(db: Db, o: { slug: string; name: string; nameEn?: string }): Promise<number> {
  return upsertTopic(db, { slug: o.slug, name: o.name, nameEn: o.nameEn ?? o.name });
}
