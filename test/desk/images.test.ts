/** Issue 15, desk practice: articles carry images, cleaned like every upload, with captions and credits; drafts' images stay with staff. */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp, type TestClient } from '../helpers/app.js';
import { makeCityStaff } from '../helpers/factories.js';
import { versionForm } from './ward-staff.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ demo: false });
  await makeCityStaff(t.db, 'desk');
});
afterAll(async () => t?.close());

async function as(email: string): Promise<TestClient> {
  const c = t.client();
  await c.signIn(email);
  return c;
}
const jpegWithGps = () =>
  sharp({ create: { width: 120, height: 80, channels: 3, background: '#36c' } })
    .jpeg()
    .withExif({
      IFD0: { Artist: 'Nguyen Van A', ImageDescription: 'nha rieng' },
      GPS: { GPSLatitudeRef: 'N', GPSLatitude: '16/1 27/1 0/1' },
    } as never)
    .toBuffer();
const article = {
  kind: 'article',
  title: 'Khánh thành cầu đi bộ mới',
  summary: 'Cầu đi bộ qua sông đã thông xe.',
  body: 'Chi tiết buổi lễ.',
};

describe('images in articles', () => {
  it('uploads an image with caption and credit, cleaned; refuses one without; shows it once published', async () => {
    const ed = await as('editor@desk.test');
    await ed.get('/staff/desk/items/new?kind=article');
    const form = await ed.get('/staff/desk/items/new?kind=article');
    expect(form.text).toContain('name="image_new"');
    const jpg = await jpegWithGps();
    const noCredit = await ed.post('/staff/desk/items', {
      ...article,
      image_new: new File([new Uint8Array(jpg)], 'cau.jpg', { type: 'image/jpeg' }),
      image_new_caption: 'Cầu đi bộ lúc khánh thành',
    });
    expect(noCredit.status).toBe(422);
    expect(noCredit.text).toContain('Ảnh cần chú thích và nguồn ảnh.');
    expect(noCredit.text).toContain('value="Cầu đi bộ lúc khánh thành"');
    expect(noCredit.text).toContain('value="Khánh thành cầu đi bộ mới"');
    const ok = await ed.post('/staff/desk/items', {
      ...article,
      image_new: new File([new Uint8Array(jpg)], 'cau.jpg', { type: 'image/jpeg' }),
      image_new_caption: 'Cầu đi bộ lúc khánh thành',
      image_new_credit: 'Phòng Văn hóa',
    });
    expect(ok.status).toBe(303);
    const id = Number(ok.location!.match(/items\/(\d+)/)![1]);
    const row = (await t.db.one<{ images: { id: string; caption: string; credit: string }[] }>(
      `SELECT images FROM desk_items WHERE id = $1`,
      [id],
    ))!;
    expect(row.images).toHaveLength(1);
    expect(row.images[0]).toMatchObject({ caption: 'Cầu đi bộ lúc khánh thành', credit: 'Phòng Văn hóa' });
    const src = `/desk/media/${row.images[0].id}`;
    // not public while a draft
    expect((await t.client().get(src)).status).toBe(404);
    const staffImg = await ed.request(src);
    expect(staffImg.status).toBe(200);
    await t.drainJobs();

    // the caption can be edited; a second image added; publish
    const edit = await ed.post(`/staff/desk/items/${id}`, {
      ...article,
      image_id: row.images[0].id,
      [`image_caption_${row.images[0].id}`]: 'Cầu đi bộ trong ngày khánh thành',
      [`image_credit_${row.images[0].id}`]: 'Phòng Văn hóa',
    });
    expect(edit.status).toBe(303);
    await ed.post(`/staff/desk/items/${id}/submit`, {});
    const rv = await as('reviewer@desk.test');
    expect((await rv.post(`/staff/desk/items/${id}/approve`, await versionForm(t.db, id))).status).toBe(303);
    expect((await rv.post(`/staff/desk/items/${id}/publish`, {})).status).toBe(303);
    const page = await t.client().get(`/articles/${id}`);
    expect(page.text).toContain(`src="${src}"`);
    expect(page.text).toContain('<figcaption>Cầu đi bộ trong ngày khánh thành');
    expect(page.text).toContain('Ảnh: Phòng Văn hóa');
    // served to anyone now, cleaned: the upload carried EXIF (author, GPS), what is served carries none
    expect((await sharp(jpg).metadata()).exif).toBeDefined();
    const res = await t.app.request(src);
    expect(res.status).toBe(200);
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect(meta.width).toBe(120);
    expect(meta.exif).toBeUndefined();
  });

  it('keeps only images the piece already has: a file id typed into the form is ignored', async () => {
    const png = await sharp({ create: { width: 30, height: 30, channels: 3, background: '#c00' } })
      .png()
      .toBuffer();
    const r = t.client();
    await r.get('/claims/new');
    const sent = await r.post('/claims/new', {
      text: 'Ảnh chụp màn hình riêng tư của người dân gửi kèm câu hỏi',
      screenshot: new File([new Uint8Array(png)], 's.png', { type: 'image/png' }),
    });
    const code = sent.location!.match(/KC-[A-Z0-9]{7}/)![0];
    const shot = (await t.db.one<{ id: string }>(`SELECT screenshot_id::text AS id FROM desk_claims WHERE code = $1`, [
      code,
    ]))!.id;
    const ed = await as('editor@desk.test');
    await ed.get('/staff/desk/items/new?kind=article');
    const created = await ed.post('/staff/desk/items', { ...article, title: 'Bài thử ảnh lạ' });
    const id = Number(created.location!.match(/items\/(\d+)/)![1]);
    expect(
      (
        await ed.post(`/staff/desk/items/${id}`, {
          ...article,
          title: 'Bài thử ảnh lạ',
          image_id: shot,
          [`image_caption_${shot}`]: 'x',
          [`image_credit_${shot}`]: 'y',
        })
      ).status,
    ).toBe(303);
    const row = (await t.db.one<{ images: unknown[] }>(`SELECT images FROM desk_items WHERE id = $1`, [id]))!;
    expect(row.images).toEqual([]);
    expect((await t.client().get(`/desk/media/${shot}`)).status).toBe(404);
  });
});
