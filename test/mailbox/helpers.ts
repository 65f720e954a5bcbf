import sharp from 'sharp';
import type { TestApp, TestClient } from '../helpers/app.js';
import { makeCategory, makeCityStaff, makeRoute, realCity } from '../helpers/factories.js';

export async function jpeg(w = 64, h = 48, withExif = false): Promise<File> {
  let img = sharp({ create: { width: w, height: h, channels: 3, background: { r: 200, g: 60, b: 40 } } }).jpeg();
  if (withExif) img = img.withMetadata({ exif: { IFD0: { Make: 'SecretPhone', Artist: 'Nguyen Van Lo' } } });
  const buf = await img.toBuffer();
  return new File([new Uint8Array(buf)], 'anh.jpg', { type: 'image/jpeg' });
}

export async function ids(t: TestApp) {
  const cat = (code: string) =>
    t.db.one<{ id: number }>(`SELECT id FROM mailbox_categories WHERE code = $1`, [code]).then((r) => r!.id);
  const unit = (code: string) =>
    t.db.one<{ id: number }>(`SELECT id FROM units WHERE code = $1`, [code]).then((r) => r!.id);
  return {
    env: await cat('moi-truong'),
    traffic: await cat('giao-thong'),
    thuanHoa: await unit('19789'),
    phuXuan: await unit('19753'),
    vyDa: await unit('19777'),
  };
}

/** Sends the new-report form like a browser would (with the page's one-time key); the answer as it comes. */
export async function postReport(c: TestClient, form: Record<string, string | Blob | string[]>) {
  const page = await c.get('/mailbox/new');
  const once = page.text.match(/name="once" value="([^"]+)"/)![1];
  return c.post('/mailbox/new', { once, ...form }, { multipart: true });
}

/** Files a report through the form like a browser would; returns the private link path and the code. */
export async function fileReport(
  c: TestClient,
  form: Record<string, string | Blob | string[]>,
): Promise<{ link: string; code: string; page: string }> {
  const res = await postReport(c, form);
  if (res.status !== 303) throw new Error(`form answered ${res.status}: ${res.text.slice(0, 2000)}`);
  const status = await c.get(res.location!);
  const code = status.text.match(/PA-\d{4}-\d{6}/)![0];
  return { link: res.location!.replace('?new=1', ''), code, page: status.text };
}

/**
 * Huế's units, agencies and staff (`role@tag.test`) on an empty database, with the two categories the mailbox tests
 * file in (Môi trường, Giao thông: 7 working days each), routed as the demo routes them (to Sở Nông nghiệp và Môi
 * trường and Sở Xây dựng); the ids in the same shape as ids().
 */
export async function cityWithCategories(t: TestApp, tag: string) {
  const units = await realCity(t.db);
  const staff = await makeCityStaff(t.db, tag);
  const category = (code: string, name: string, nameEn: string) =>
    makeCategory(t.deps, staff.admin.id, { code, name, nameEn, days: 7 });
  const env = await category('moi-truong', 'Môi trường', 'Environment');
  const traffic = await category('giao-thong', 'Giao thông', 'Traffic');
  await makeRoute(t.deps, staff.admin.id, { unit: '46', category: 'moi-truong', agency: 'HUE-STNMT' });
  await makeRoute(t.deps, staff.admin.id, { unit: '46', category: 'giao-thong', agency: 'HUE-SXD' });
  return {
    staff,
    env,
    traffic,
    thuanHoa: units['19789'].id,
    phuXuan: units['19753'].id,
    vyDa: units['19777'].id,
  };
}
