import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
// the whole platform's demo, as `npm start` loads it
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t?.close();
});

describe('crisis demo data', () => {
  it('holds one active incident with released statements and a public alert, one closed incident, and a notice outside incidents', async () => {
    const page = await t.client().get('/incidents');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Mưa lớn gây ngập úng');
    expect(page.text).toContain('Mất điện diện rộng');
    expect(page.text).toContain('Thông báo lịch tiếp công dân định kỳ tháng 12');
    const flood = /href="\/incidents\/(\d+)">Mưa lớn/.exec(page.text)![1];
    const incident = await t.client().get(`/incidents/${flood}`);
    expect(incident.text).toContain('Cập nhật: mở thêm điểm sơ tán');
    expect(incident.text).toContain('Thông báo về tình hình mưa lũ và các điểm sơ tán');
    // the desk's demo fact-checks are linked as "known to be false", with their verdicts
    const linked = await t.db.query<{ item_id: number }>(`SELECT item_id FROM crisis_incident_factchecks`);
    if (linked.length) {
      const section = incident.text.slice(incident.text.indexOf('id="h-false"'));
      expect(section).toMatch(/<a href="\/[^"]+">[^<]+<\/a>/);
      expect(section).not.toContain('Chưa có thông tin sai nào được ghi nhận.');
    }
    const feed = await t.client().get('/alerts.atom');
    // the open incident's latest alert, and the closing (Cancel) message of the incident the demo closed just now
    expect(feed.text.match(/<entry>/g)).toHaveLength(2);
    expect(feed.text).toMatch(/<summary[^>]*>Cancel: /);
    expect(feed.text).toContain('Cập nhật: mở thêm điểm sơ tán');
    const closed = /href="\/incidents\/(\d+)">Mất điện/.exec(page.text)![1];
    expect((await t.client().get(`/incidents/${closed}`)).text).toContain('Đã kết thúc');
  });

  it('the home page shows the active incident banner and links to the verification page', async () => {
    const page = await t.client().get('/');
    expect(page.text).toContain('Đang có sự cố: Mưa lớn gây ngập úng');
    expect(page.text).toContain('href="/verify"');
    // the banner leads the page, before the mailbox's latest answers
    expect(page.text.indexOf('Đang có sự cố: Mưa lớn gây ngập úng')).toBeLessThan(
      page.text.indexOf('Phản ánh mới được trả lời'),
    );
  });

  it('the staff overview shows the crisis centre to an editor, and the reviewer has a notice awaiting approval', async () => {
    const c = t.client();
    await c.signIn('reviewer@demo.local');
    const staff = await c.get('/staff');
    expect(staff.text).toContain('1 thông báo đang chờ duyệt');
    const dash = await c.get('/staff/crisis');
    expect(dash.text).toContain('Thông báo cho học sinh nghỉ học ngày mai');
    const openapi = await c.json('/api/v1/openapi.json');
    expect(Object.keys(openapi.body.paths)).toEqual(expect.arrayContaining(['/api/v1/crisis/verify', '/alerts.atom']));
  });
});
