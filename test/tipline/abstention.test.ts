/**
 * The tipline answers at once only when a published fact-check answers the message (the desk's calibrated
 * threshold for the message's language); an unrelated rumour is offered to the desk instead, with related
 * fact-checks shown only as related, never as a verdict. A small hand-written fixture, not the demo's wording.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telegramApp, type TelegramHarness } from './harness.js';

let h: TelegramHarness;
beforeAll(async () => {
  h = await telegramApp();
  const add = (title: string, slug: string, claim: string, summary: string, body: string) =>
    h.db.query(
      `INSERT INTO desk_items (kind, title, slug, summary, body, claim, verdict, status, published_at, sources)
       VALUES ('factcheck', $1, $2, $3, $4, $5, 'sai', 'published', now(), '[{"title":"Nguồn"}]')`,
      [title, slug, summary, body, claim],
    );
  await add(
    'Không có chuyện phát gạo miễn phí qua mã QR ở chợ Tây Lộc',
    'gao-qr',
    'Quét mã QR dán ở chợ Tây Lộc để nhận 10 kg gạo miễn phí.',
    'Sai. Mã QR dẫn tới trang lừa lấy mật khẩu ngân hàng.',
    'Ban quản lý chợ Tây Lộc không phát gạo; mã QR dẫn tới trang giả mạo ngân hàng.',
  );
  await add(
    'Đèn tín hiệu ở ngã tư Lê Lợi không bị tắt vĩnh viễn',
    'den-le-loi',
    'Ngã tư Lê Lợi sẽ tắt đèn tín hiệu vĩnh viễn từ tháng tới.',
    'Sai. Đèn chỉ tạm tắt hai giờ để bảo trì.',
    'Sở Giao thông cho biết đèn tạm tắt để thay bộ điều khiển.',
  );
});
afterAll(async () => {
  await h?.close();
});

describe('instant answers in the chat follow the calibrated threshold', () => {
  it('a paraphrase of a published fact-check is answered at once with its verdict', async () => {
    await h.text(501, 'quet ma QR o cho Tay Loc de duoc nhan 10 kg gao mien phi');
    await h.drain();
    const text = h.last(501)!.text;
    expect(text).toContain('Tin này đã được kiểm chứng');
    expect(text).toContain('Không có chuyện phát gạo miễn phí qua mã QR ở chợ Tây Lộc');
    expect(text).toContain('Kết luận: Sai');
  });

  it('an unrelated rumour gets no instant answer: it is offered to the desk, and any related fact-check is shown without a verdict', async () => {
    await h.text(502, 'Nghe nói tuần sau trường học cho học sinh nghỉ để đi xem pháo hoa');
    await h.drain();
    const sent = h.tg
      .to(502)
      .map((m) => m.text)
      .join('\n---\n');
    expect(sent).not.toContain('Tin này đã được kiểm chứng');
    expect(sent).not.toContain('Kết luận:');
    expect(h.last(502)!.text).toContain('Chưa có bài kiểm chứng nào trả lời tin này');
  });

  it('a rumour close to a published one in words but about something else is not answered either', async () => {
    await h.text(503, 'Chợ Tây Lộc sẽ đóng cửa để xây trung tâm thương mại từ tháng tới');
    await h.drain();
    const sent = h.tg
      .to(503)
      .map((m) => m.text)
      .join('\n---\n');
    expect(sent).not.toContain('Tin này đã được kiểm chứng');
    expect(sent).not.toContain('Kết luận:');
    expect(h.last(503)!.text).toContain('Chưa có bài kiểm chứng nào trả lời tin này');
  });

  it('in English too', async () => {
    await h.text(504, 'Is it true that the city will ban motorbike taxis near the citadel?', { lang: 'en' });
    await h.drain();
    const sent = h.tg
      .to(504)
      .map((m) => m.text)
      .join('\n---\n');
    expect(sent).not.toContain('This has been fact-checked');
    expect(h.last(504)!.text).toContain('No published fact-check answers this yet');
  });
});
