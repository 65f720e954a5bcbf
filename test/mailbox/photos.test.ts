import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { testDbKind } from '../helpers/db.js';
import { cleanPhoto } from '../../src/modules/mailbox/service.js';
import { cityWithCategories, fileReport } from './helpers.js';

/** A phone photo: camera make, owner and GPS position in its EXIF. */
async function phonePhoto(w: number, h: number): Promise<File> {
  const buf = await sharp({
    create: {
      width: w,
      height: h,
      channels: 3,
      background: { r: 40, g: 120, b: 200 },
      noise: { type: 'gaussian', mean: 128, sigma: 20 },
    },
  })
    .jpeg({ quality: 90 })
    .withMetadata({
      exif: {
        IFD0: { Make: 'SecretPhone', Artist: 'Nguyen Van Lo' },
        IFD3: {
          GPSLatitudeRef: 'N',
          GPSLatitude: '16/1 27/1 4970/100',
          GPSLongitudeRef: 'E',
          GPSLongitude: '107/1 35/1 2724/100',
        },
      },
    })
    .toBuffer();
  return new File([new Uint8Array(buf)], 'IMG_0001.jpg', { type: 'image/jpeg' });
}

/** A JPEG whose header is fine (it passes the upload checks) but whose picture data is cut off. */
async function brokenPhoto(): Promise<File> {
  const good = await sharp({
    create: {
      width: 320,
      height: 240,
      channels: 3,
      background: { r: 200, g: 60, b: 40 },
      noise: { type: 'gaussian', mean: 128, sigma: 30 },
    },
  })
    .jpeg()
    .toBuffer();
  return new File([new Uint8Array(good.subarray(0, Math.floor(good.byteLength * 0.6)))], 'hong.jpg', {
    type: 'image/jpeg',
  });
}

describe(`mailbox: photos are cleaned after the report is filed (${testDbKind()})`, () => {
  let t: TestApp;
  let u: Awaited<ReturnType<typeof cityWithCategories>>;
  beforeAll(async () => {
    t = await testApp({ demo: false });
    u = await cityWithCategories(t, 'photos');
  });
  afterAll(async () => {
    await t.close();
  });

  const reportId = async (code: string) =>
    (await t.db.one<{ id: number }>(`SELECT id FROM mailbox_reports WHERE code = $1`, [code]))!.id;
  const photoIds = (html: string) => [...html.matchAll(/data-photo="([0-9a-f-]{36})"/g)].map((m) => m[1]);
  const blobKeys = (id: string) => [...t.blobs.blobs.keys()].filter((k) => k.includes(id));

  it('files at once with three photos, never serves the originals, then serves clean JPEGs without EXIF or GPS', async () => {
    const resident = t.client({ ip: '198.51.100.40' });
    const photos = [await phonePhoto(1600, 1200), await phonePhoto(800, 600), await phonePhoto(640, 480)];
    const { link, code, page } = await fileReport(resident, {
      category: String(u.env),
      unit: String(u.thuanHoa),
      title: 'Đống rác lớn cạnh chợ',
      description: 'Rác đổ trộm cạnh cổng sau chợ, ba ảnh chụp từ điện thoại.',
      photos: photos as unknown as string[],
    });
    // the tracking code came back before any image work: three placeholders, no image
    expect(page).toContain(code);
    const pending = photoIds(page);
    expect(pending).toHaveLength(3);
    expect(page.match(/Ảnh đang được xử lý/g)).toHaveLength(3);
    expect(page).not.toMatch(/<img[^>]+\/photos\//);
    const jobs = await t.db.query<{ status: string }>(
      `SELECT status FROM jobs WHERE type = 'mailbox.photo' AND payload->>'fileId' = ANY($1::text[])`,
      [pending],
    );
    expect(jobs.map((j) => j.status)).toEqual(['queued', 'queued', 'queued']);
    // the originals are held privately, metadata and all, and nobody is served them
    for (const id of pending) {
      expect(blobKeys(id)).toEqual([`originals/${id.slice(0, 2)}/${id}.bin`]);
      const original = Buffer.from(t.blobs.blobs.get(blobKeys(id)[0])!);
      expect(original.includes('SecretPhone')).toBe(true);
      expect((await sharp(original).metadata()).exif).toBeDefined();
      expect((await resident.request(`${link}/photos/${id}`)).status).toBe(404);
      expect((await t.client().request(`/mailbox/photos/${id}`)).status).toBe(404);
    }

    // staff see placeholders too, and cannot open an original
    const handler = t.client();
    await handler.signIn('handler@photos.test');
    const id = await reportId(code);
    const staffPage = await handler.get(`/staff/mailbox/${id}`);
    expect(staffPage.text.match(/Ảnh đang được xử lý/g)).toHaveLength(3);
    expect(staffPage.text).not.toMatch(/<img[^>]+\/photos\//);
    expect((await handler.request(`/mailbox/photos/${pending[0]}`)).status).toBe(404);
    // made public before the job ran: the public page shows placeholders (in English too)
    expect((await handler.post(`/staff/mailbox/${id}/triage`, { action: 'accept' })).status).toBe(303);
    const pubBefore = await t.client().get(`/mailbox/r/${code}?lang=en`);
    expect(pubBefore.status).toBe(200);
    expect(pubBefore.text.match(/Photo being processed/g)).toHaveLength(3);
    expect((await t.client().request(`/mailbox/photos/${pending[0]}`)).status).toBe(404);

    // Open311 clients get no media_url until the photo is clean (it would answer 404)
    const o311 = async () =>
      (await t.client().json(`/open311/v2/requests/${code}.json`)).body[0].media_url as string | null;
    expect(await o311()).toBeNull();

    await t.drainJobs();
    expect(await o311()).toMatch(new RegExp(`/mailbox/photos/(${pending.join('|')})$`));
    const pub = await t.client().get(`/mailbox/r/${code}`);
    expect(pub.text).not.toContain('Ảnh đang được xử lý');
    const shown = [...pub.text.matchAll(/<img[^>]+src="\/mailbox\/photos\/([0-9a-f-]{36})\/thumb"/g)].map((m) => m[1]);
    expect(shown.sort()).toEqual([...pending].sort());
    for (const fid of pending) {
      const res = await t.app.request(`/mailbox/photos/${fid}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/jpeg');
      const bytes = Buffer.from(await res.arrayBuffer());
      const meta = await sharp(bytes).metadata();
      expect(meta.format).toBe('jpeg');
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(bytes.includes('SecretPhone')).toBe(false);
      expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(2560);
      // the original is gone from the store; only the clean file is left, with its two smaller sizes
      expect(blobKeys(fid).sort()).toEqual([
        `${fid.slice(0, 2)}/${fid}.jpg`,
        `sizes/${fid.slice(0, 2)}/${fid}-medium.jpg`,
        `sizes/${fid.slice(0, 2)}/${fid}-thumb.jpg`,
      ]);
    }
    // a job that runs again (a worker that vanished after its commit) changes nothing
    expect(await cleanPhoto(t.deps, pending[0])).toBe('skipped');
    expect((await t.app.request(`/mailbox/photos/${pending[0]}`)).status).toBe(200);
    const staffAfter = await handler.get(`/staff/mailbox/${id}`);
    expect(staffAfter.text.match(/<img[^>]+\/mailbox\/photos\//g)).toHaveLength(3);
  });

  it('marks a photo that cannot be decoded as failed and removes it; the report and its other photo stay', async () => {
    const resident = t.client({ ip: '198.51.100.41' });
    const { link, code, page } = await fileReport(resident, {
      category: String(u.env),
      unit: String(u.thuanHoa),
      title: 'Cống thoát nước bị tắc',
      description: 'Cống trước số 8 Hàn Thuyên tắc, nước tràn lên đường khi mưa.',
      photos: [await brokenPhoto(), await phonePhoto(320, 240)] as unknown as string[],
    });
    const pending = photoIds(page);
    expect(pending).toHaveLength(2);
    await t.drainJobs();

    const id = await reportId(code);
    const handler = t.client();
    await handler.signIn('handler@photos.test');
    const staffPage = await handler.get(`/staff/mailbox/${id}`);
    expect(staffPage.status).toBe(200);
    expect(staffPage.text).toContain('Cống thoát nước bị tắc');
    expect(staffPage.text).toContain('Không đọc được ảnh này nên ảnh đã bị loại bỏ');
    const broken = staffPage.text.match(/class="mb-photo-failed" data-photo="([0-9a-f-]{36})"/)![1];
    const good = staffPage.text.match(/<img src="\/mailbox\/photos\/([0-9a-f-]{36})"/)![1];
    expect([broken, good].sort()).toEqual([...pending].sort());
    expect(staffPage.text).not.toContain(`/mailbox/photos/${broken}`);
    // its bytes are gone: the row points at an empty file
    expect(blobKeys(broken)).toEqual([`${broken.slice(0, 2)}/${broken}.jpg`]);
    expect(t.blobs.blobs.get(blobKeys(broken)[0])!.byteLength).toBe(0);
    expect((await t.db.one<{ size: number }>(`SELECT size FROM files WHERE id = $1`, [broken]))!.size).toBe(0);
    expect((await handler.request(`/mailbox/photos/${broken}`)).status).toBe(404);
    expect((await resident.get(link)).text).toContain('Không đọc được ảnh này');
    const en = await handler.get(`/staff/mailbox/${id}?lang=en`);
    expect(en.text).toContain('This photo could not be read and was removed');

    // public: the clean photo only, no word of the failed one
    expect((await handler.post(`/staff/mailbox/${id}/triage`, { action: 'accept' })).status).toBe(303);
    const pub = await t.client().get(`/mailbox/r/${code}`);
    expect(pub.text).toContain('Cống thoát nước bị tắc');
    expect(pub.text).toContain(`/mailbox/photos/${good}`);
    expect(pub.text).not.toContain(broken);
    expect(pub.text).not.toContain('Không đọc được ảnh');
    const job = await t.db.one<{ status: string }>(
      `SELECT status FROM jobs WHERE type = 'mailbox.photo' AND payload->>'fileId' = $1`,
      [broken],
    );
    expect(job!.status).toBe('done');
  });

  it('a photo whose cleaning keeps failing (the file store, not the image) ends marked failed, its original deleted', async () => {
    const resident = t.client({ ip: '198.51.100.42' });
    const { code, page } = await fileReport(resident, {
      category: String(u.env),
      unit: String(u.thuanHoa),
      title: 'Đèn đường hỏng',
      description: 'Đèn đường trước số 3 Lê Lợi không sáng ba đêm nay.',
      photos: [await phonePhoto(320, 240)] as unknown as string[],
    });
    const [photo] = photoIds(page);
    const get = t.blobs.get.bind(t.blobs);
    t.blobs.get = async (key: string) => {
      if (key.includes(photo)) throw new Error('file store unavailable');
      return get(key);
    };
    try {
      for (let attempt = 1; attempt <= 5; attempt++) {
        await t.db.query(`UPDATE jobs SET run_at = now() WHERE type = 'mailbox.photo' AND payload->>'fileId' = $1`, [
          photo,
        ]);
        await t.drainJobs();
        const state = (await t.db.one<{ state: string }>(`SELECT state FROM mailbox_uploads WHERE file_id = $1`, [
          photo,
        ]))!.state;
        expect([attempt, state]).toEqual([attempt, attempt < 5 ? 'pending' : 'failed']);
      }
    } finally {
      t.blobs.get = get;
    }
    const job = await t.db.one<{ status: string; last_error: string }>(
      `SELECT status, last_error FROM jobs WHERE type = 'mailbox.photo' AND payload->>'fileId' = $1`,
      [photo],
    );
    expect(job).toEqual({ status: 'dead', last_error: expect.stringContaining('file store unavailable') });
    expect(blobKeys(photo)).toEqual([`${photo.slice(0, 2)}/${photo}.jpg`]);
    expect(t.blobs.blobs.get(blobKeys(photo)[0])!.byteLength).toBe(0);
    const handler = t.client();
    await handler.signIn('handler@photos.test');
    const staffPage = await handler.get(`/staff/mailbox/${await reportId(code)}`);
    expect(staffPage.text).toContain(`class="mb-photo-failed" data-photo="${photo}"`);
  });

  it('a broken photo sent with a wrong field is not stored; sent with a right form it shows as failed to staff', async () => {
    const c = t.client({ ip: '198.51.100.43' });
    const page = await c.get('/mailbox/new');
    const once = page.text.match(/name="once" value="([^"]+)"/)![1];
    const files = async () => (await t.db.one<{ n: number }>(`SELECT count(*)::int AS n FROM files`))!.n;
    const before = await files();
    const bad = await c.post(
      '/mailbox/new',
      {
        once,
        category: String(u.env),
        unit: '',
        title: 'Nắp cống bị vỡ',
        description: 'Nắp cống trước chợ bị vỡ, rất nguy hiểm cho xe máy.',
        photos: await brokenPhoto(),
      },
      { multipart: true },
    );
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Ảnh chưa được lưu');
    expect(await files()).toBe(before);
    const ok = await c.post(
      '/mailbox/new',
      {
        once,
        category: String(u.env),
        unit: String(u.thuanHoa),
        title: 'Nắp cống bị vỡ',
        description: 'Nắp cống trước chợ bị vỡ, rất nguy hiểm cho xe máy.',
        photos: await brokenPhoto(),
      },
      { multipart: true },
    );
    expect(ok.status).toBe(303);
    await t.drainJobs();
    const status = await c.get(ok.location!);
    const code = status.text.match(/PA-\d{4}-\d{6}/)![0];
    expect(status.text).toContain('Không đọc được ảnh này');
    const [{ file_id: kept }] = await t.db.query<{ file_id: string }>(
      `SELECT p.file_id FROM mailbox_photos p JOIN mailbox_reports r ON r.id = p.report_id WHERE r.code = $1`,
      [code],
    );
    const handler = t.client();
    await handler.signIn('handler@photos.test');
    const staffPage = await handler.get(`/staff/mailbox/${await reportId(code)}`);
    expect(staffPage.text).toContain('Nắp cống bị vỡ');
    expect(staffPage.text).toContain(`class="mb-photo-failed" data-photo="${kept}"`);
  });

  it('a photo added with a reply is cleaned the same way', async () => {
    const resident = t.client({ ip: '198.51.100.42' });
    const { link } = await fileReport(resident, {
      category: String(u.env),
      unit: String(u.thuanHoa),
      title: 'Đèn đường bị hỏng',
      description: 'Đèn đường trước số 3 Nguyễn Huệ không sáng ba đêm.',
    });
    await resident.get(link);
    const res = await resident.post(
      `${link}/reply`,
      { body: 'Thêm ảnh chụp ban đêm.', photos: await phonePhoto(400, 300) },
      { multipart: true },
    );
    expect(res.status).toBe(303);
    const before = (await resident.get(link)).text;
    const [fid] = photoIds(before);
    expect(before).toContain('Ảnh đang được xử lý');
    expect((await resident.request(`${link}/photos/${fid}`)).status).toBe(404);
    await t.drainJobs();
    const img = await t.app.request(`${link}/photos/${fid}`, { headers: { 'x-test-ip': '198.51.100.42' } });
    expect(img.status).toBe(200);
    expect((await sharp(Buffer.from(await img.arrayBuffer())).metadata()).exif).toBeUndefined();
  });
});
