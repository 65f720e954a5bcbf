import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { startSmtp } from '../helpers/smtp.js';
import { cityWithCategories, fileReport, jpeg } from './helpers.js';

describe(`mailbox: resident → handler → reviewer → resident (${testDbKind()})`, () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let u: Awaited<ReturnType<typeof cityWithCategories>>;
  beforeAll(async () => {
    smtp = await startSmtp();
    t = await testApp({ demo: false, env: { SMTP_URL: smtp.url } });
    u = await cityWithCategories(t, 'flow');
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('files a report with a photo, answers it, approves it, and the resident rates it', async () => {
    const resident = t.client({ ip: '198.51.100.10' });
    const { link, code, page } = await fileReport(resident, {
      category: String(u.env),
      unit: String(u.thuanHoa),
      title: 'Rác thải tồn đọng ở kiệt 12 Lê Lợi',
      description: 'Rác không được thu gom 4 ngày, bốc mùi hôi <script>alert(1)</script>',
      address: '12 Lê Lợi',
      name: 'Nguyễn Thị Bí Mật',
      phone: '0912 345 678',
      email: 'dan@example.org',
      photos: await jpeg(80, 60, true),
    });
    expect(code).toMatch(/^PA-20\d\d-\d{6}$/);
    expect(page).toContain('Đã gửi phản ánh');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<script>alert(1)');
    // the photo is cleaned by a job: until then a placeholder, never the original
    expect(page).toContain('Ảnh đang được xử lý');
    const pending = page.match(/data-photo="([0-9a-f-]{36})"/)![1];
    expect((await resident.request(`${link}/photos/${pending}`)).status).toBe(404);
    await t.drainJobs();
    // then it is served without its EXIF metadata
    const cleaned = (await resident.get(link)).text;
    expect(cleaned).not.toContain('Ảnh đang được xử lý');
    const photoId = cleaned.match(/\/photos\/([0-9a-f-]{36})/)![1];
    expect(photoId).toBe(pending);
    const img = await resident.request(`${link}/photos/${photoId}`);
    expect(img.status).toBe(200);
    expect(img.text).not.toContain('SecretPhone');

    // e-mail with the code and the private link
    await t.drainJobs();
    const mails = await smtp.waitFor(1);
    expect(mails[0].to).toEqual(['dan@example.org']);
    expect(mails[0].subject.replace(/\s+/g, '')).toContain(code);
    expect(mails[0].text).toContain(`http://test.local${link}`);

    // not public before triage
    const before = await t.client().get(`/mailbox/r/${code}`);
    expect(before.status).toBe(200); // the resident's own code: status and timeline only
    expect(before.text).toContain('chưa được công khai');
    expect(before.text).not.toContain('Rác không được thu gom');

    const handler = t.client();
    await handler.signIn('handler@flow.test');
    const inbox = await handler.get('/staff/mailbox?status=new');
    expect(inbox.text).toContain(code);
    const id = Number(inbox.text.match(new RegExp(`/staff/mailbox/(\\d+)">(?:<strong>)?${code}`))![1]);
    const staffPage = await handler.get(`/staff/mailbox/${id}`);
    expect(staffPage.text).toContain('Nguyễn Thị Bí Mật');
    expect(staffPage.text).toContain('0912345678');
    // routing rule (environment -> Sở Nông nghiệp và Môi trường) made the first assignment
    expect(staffPage.text).toContain('Sở Nông nghiệp và Môi trường');

    expect((await handler.post(`/staff/mailbox/${id}/triage`, { action: 'accept' })).status).toBe(303);
    expect((await handler.post(`/staff/mailbox/${id}/start`, {})).status).toBe(303);
    expect(
      (await handler.post(`/staff/mailbox/${id}/question`, { body: 'Rác nằm bên trái hay bên phải kiệt?' })).status,
    ).toBe(303);
    // the resident sees and answers the question
    const withQ = await resident.get(link);
    expect(withQ.text).toContain('Rác nằm bên trái hay bên phải kiệt?');
    expect(
      (await resident.post(`${link}/reply`, { body: 'Bên trái, cạnh cột điện.' }, { multipart: true })).status,
    ).toBe(303);

    expect(
      (
        await handler.post(`/staff/mailbox/${id}/draft`, {
          answer: 'Đã thu gom toàn bộ rác và bổ sung lịch thu gom hằng ngày.',
        })
      ).status,
    ).toBe(303);
    // a handler may not approve; the reviewer does
    expect((await handler.post(`/staff/mailbox/${id}/approve`, {})).status).toBe(403);
    // the draft is not public yet
    const pubBefore = await t.client().get(`/mailbox/r/${code}`);
    expect(pubBefore.status).toBe(200);
    expect(pubBefore.text).not.toContain('bổ sung lịch thu gom');

    const reviewer = t.client();
    await reviewer.signIn('reviewer@flow.test');
    const revPage = await reviewer.get(`/staff/mailbox/${id}`);
    expect(revPage.text).toContain('Duyệt và công bố');
    expect(revPage.text).not.toContain('Nguyễn Thị Bí Mật'); // reviewers do not see personal data
    const homeBefore = await t.client().get('/'); // an anonymous home page is kept a few seconds…
    expect(homeBefore.text).not.toContain('Rác thải tồn đọng ở kiệt 12 Lê Lợi');
    expect((await reviewer.post(`/staff/mailbox/${id}/approve`, {})).status).toBe(303);
    // …but a published answer shows among the latest at once
    expect((await t.client().get('/')).text).toContain('Rác thải tồn đọng ở kiệt 12 Lê Lợi');

    const pub = await t.client().get(`/mailbox/r/${code}`);
    expect(pub.text).toContain('Đã thu gom toàn bộ rác và bổ sung lịch thu gom hằng ngày.');
    expect(pub.text).not.toContain('Nguyễn Thị Bí Mật');
    expect(pub.text).not.toContain('0912345678');
    expect(pub.text).not.toContain('dan@example.org');
    expect(pub.text).not.toContain('Rác nằm bên trái'); // questions stay between staff and resident

    await t.drainJobs();
    const answered = await smtp.waitFor(4);
    expect(
      answered.some(
        (m) => m.subject.replace(/\s+/g, '').includes('đãđượctrảlời') && m.text.includes('bổ sung lịch thu gom'),
      ),
    ).toBe(true);

    const rated = await resident.post(`${link}/rate`, { rating: '5', comment: 'Cảm ơn' });
    expect(rated.status).toBe(303);
    const after = await resident.get(link);
    expect(after.text).toContain('Bạn đã đánh giá 5/5 sao.');
    expect(after.text).toContain('Đã đóng');

    // reopen within the window
    const re = await resident.post(`${link}/reopen`, { reason: 'Rác lại tồn đọng sau 2 ngày.' });
    expect(re.status).toBe(303);
    expect((await resident.get(link)).text).toContain('Mở lại');

    // every staff action is in the audit log
    const audit = await t.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE entity_type = 'mailbox.report' AND entity_id = $1 ORDER BY id`,
      [code],
    );
    expect(audit.map((a) => a.action)).toEqual([
      'mailbox.triage',
      'mailbox.answer',
      'mailbox.answer',
      'mailbox.answer',
      'mailbox.approve',
    ]);
  });

  it('keeps everything typed when a field is wrong, with errors beside the fields; photos are stored only with a right form', async () => {
    const c = t.client({ ip: '198.51.100.11' });
    const page = await c.get('/mailbox/new');
    const once = page.text.match(/name="once" value="([^"]+)"/)![1];
    const res = await c.post(
      '/mailbox/new',
      {
        once,
        category: String(u.traffic),
        unit: '',
        title: 'Ổ gà',
        description: 'Ổ gà sâu trước nhà số 5 đường Hùng Vương',
        phone: 'abc',
        photos: await jpeg(),
      },
      { multipart: true },
    );
    expect(res.status).toBe(422);
    expect(res.text).toContain('Vui lòng chọn phường, xã.');
    expect(res.text).toContain('Tiêu đề cần ít nhất 5 ký tự.');
    expect(res.text).toContain('Số điện thoại không hợp lệ');
    expect(res.text).toContain('Ổ gà sâu trước nhà số 5 đường Hùng Vương');
    expect(res.text).toContain('Ảnh chưa được lưu: hãy chọn lại ảnh sau khi sửa các lỗi trên.');
    // send again, the photo chosen again
    const ok = await c.post(
      '/mailbox/new',
      {
        once,
        category: String(u.traffic),
        unit: String(u.vyDa),
        title: 'Ổ gà lớn',
        description: 'Ổ gà sâu trước nhà số 5 đường Hùng Vương',
        photos: await jpeg(),
      },
      { multipart: true },
    );
    expect(ok.status).toBe(303);
    const status = await c.get(ok.location!);
    expect(status.text).toContain('Ảnh đang được xử lý');
  });

  it('refuses files that are not images with a clear message', async () => {
    const c = t.client({ ip: '198.51.100.12' });
    const page = await c.get('/mailbox/new');
    const once = page.text.match(/name="once" value="([^"]+)"/)![1];
    const polyglot = new File([new TextEncoder().encode('GIF89a<html><script>alert(1)</script></html>')], 'x.jpg', {
      type: 'image/jpeg',
    });
    const res = await c.post(
      '/mailbox/new',
      {
        once,
        category: String(u.traffic),
        unit: String(u.vyDa),
        title: 'Ổ gà lớn',
        description: 'Ổ gà sâu trước nhà số 5 đường Hùng Vương',
        photos: polyglot,
      },
      { multipart: true },
    );
    expect(res.status).toBe(422);
    expect(res.text).toContain('không phải ảnh');
    expect(res.text).toContain('Ổ gà sâu trước nhà số 5 đường Hùng Vương');
  });
});
