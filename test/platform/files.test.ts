import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import {
  deleteFile,
  isPlainPdf,
  loadFile,
  processUpload,
  readFileRow,
  storeUploads,
  UploadError,
  type UploadLimits,
} from '../../src/platform/files/files.js';
import { FsBlobStore } from '../../src/platform/files/store.js';
import { common } from '../../src/platform/i18n/common.js';
import { testDb } from '../helpers/db.js';

const limits: UploadLimits = { maxBytes: 10 * 1024 * 1024, maxFiles: 5, maxPixels: 40_000_000 };
let db: Db;
let dir: string;
let store: FsBlobStore;

beforeAll(async () => {
  db = await testDb();
  dir = mkdtempSync(path.join(tmpdir(), 'caunoi-files-'));
  store = new FsBlobStore(path.join(dir, 'files'));
});
afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

// --- fixtures made on the fly ---------------------------------------------------------------
const red = (w = 64, h = 48) => sharp({ create: { width: w, height: h, channels: 3, background: '#c0392b' } });
const pngBytes = async () => new Uint8Array(await red().png().toBuffer());
const jpegWithGps = async () =>
  new Uint8Array(
    await red(120, 80)
      .jpeg()
      .withExif({
        IFD0: { Make: 'PhoneCo', Model: 'X1 Pro', ImageDescription: 'nha-rieng-cua-toi', Artist: 'Nguyen Van A' },
        IFD3: {
          GPSLatitudeRef: 'N',
          GPSLatitude: '16/1 27/1 5/1',
          GPSLongitudeRef: 'E',
          GPSLongitude: '107/1 35/1 9/1',
        },
      })
      .toBuffer(),
  );

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (b: Buffer) => {
  let c = 0xffffffff;
  for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type: string, data: Buffer) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};
/** A 1-bit grey PNG of w×h whose pixel data is `idat` (already deflated). */
const rawPng = (w: number, h: number, idat: Buffer) => {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
      chunk('IHDR', ihdr),
      chunk('IDAT', idat),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
};

const pdf = (body: string, after = '') =>
  new Uint8Array(
    Buffer.from(
      `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n${body}\ntrailer << /Root 1 0 R >>\n%%EOF\n${after}`,
      'latin1',
    ),
  );

const has = (bytes: Uint8Array, needle: string) => Buffer.from(bytes).includes(Buffer.from(needle, 'latin1'));
const file = (bytes: Uint8Array | string, name: string) =>
  new File([typeof bytes === 'string' ? bytes : Buffer.from(bytes)], name);

async function refusal(p: Promise<unknown>): Promise<UploadError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UploadError);
  return err as UploadError;
}

describe('type sniffing', () => {
  it('goes by the bytes: a PNG named .pdf is treated (and re-encoded) as an image', async () => {
    const out = await processUpload(await pngBytes(), 'bien-ban.pdf', 'image-or-pdf', limits);
    expect(out).toMatchObject({ mime: 'image/jpeg', width: 64, height: 48 });
    expect((await sharp(out.bytes).metadata()).format).toBe('jpeg');
  });

  it('refuses a text file named .jpg, an HTML page named .png, an SVG with script and a GIF/JS polyglot', async () => {
    const cases: [Uint8Array | string, string][] = [
      ['Xin chào, đây không phải ảnh.', 'anh.jpg'],
      ['<!doctype html><html><body><script>alert(1)</script></body></html>', 'photo.png'],
      [
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.cookie)</script></svg>',
        'logo.svg',
      ],
      ['GIF89a/*\x00\x00\x00\x00*/=1;alert(document.domain);//', 'x.gif'],
      [new Uint8Array(await red().gif().toBuffer()), 'real.gif'],
    ];
    for (const [bytes, name] of cases) {
      const err = await refusal(
        processUpload(
          typeof bytes === 'string' ? new Uint8Array(Buffer.from(bytes, 'latin1')) : bytes,
          name,
          'image-or-pdf',
          limits,
        ),
      );
      expect(err.code, name).toBe('file.badType');
      expect(err.vars.name).toBe(name);
    }
  });

  it('accepts WebP and PNG, always storing a JPEG', async () => {
    for (const bytes of [await pngBytes(), new Uint8Array(await red().webp().toBuffer())]) {
      const out = await processUpload(bytes, 'a', 'image', limits);
      expect(out.mime).toBe('image/jpeg');
    }
  });

  it('refuses a PDF where only images are allowed', async () => {
    expect((await refusal(processUpload(pdf(''), 'a.pdf', 'image', limits))).code).toBe('file.badType');
  });
});

describe('metadata and payloads do not survive re-encoding', () => {
  it('strips EXIF and GPS', async () => {
    const input = await jpegWithGps();
    const before = await sharp(input).metadata();
    expect(before.exif?.byteLength).toBeGreaterThan(100);
    expect(has(input, 'PhoneCo')).toBe(true);
    const [saved] = await storeUploads(db, store, [file(input, 'IMG_2041.jpg')], 'image', limits);
    const row = await readFileRow(db, saved.id);
    const stored = readFileSync(path.join(dir, 'files', row!.storage_key));
    const after = await sharp(stored).metadata();
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.iptc).toBeUndefined();
    expect(after).toMatchObject({ format: 'jpeg', width: 120, height: 80 });
    for (const s of ['PhoneCo', 'X1 Pro', 'nha-rieng-cua-toi', 'Nguyen Van A', 'Exif\0\0'])
      expect(has(stored, s), s).toBe(false);
  });

  it('keeps the picture upright (EXIF orientation applied) and transparent areas white', async () => {
    const sideways = new Uint8Array(await red(120, 80).jpeg().withMetadata({ orientation: 6 }).toBuffer());
    const up = await processUpload(sideways, 'p.jpg', 'image', limits);
    expect({ w: up.width, h: up.height }).toEqual({ w: 80, h: 120 });
    expect((await sharp(up.bytes).metadata()).orientation).toBeUndefined();
    const clear = new Uint8Array(
      await sharp({ create: { width: 10, height: 10, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
        .png()
        .toBuffer(),
    );
    const out = await processUpload(clear, 'clear.png', 'image', limits);
    const { data } = await sharp(out.bytes).raw().toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(240);
  });

  it('drops HTML or a ZIP appended to a JPEG, and HTML hidden in a JPEG comment', async () => {
    const jpeg = Buffer.from(await red().jpeg().toBuffer());
    const html = Buffer.from('<html><body><script>fetch("/staff")</script></body></html>');
    const zip = Buffer.concat([
      Buffer.from('PK\x03\x04', 'latin1'),
      Buffer.alloc(26),
      Buffer.from('evil.js'),
      Buffer.from('PK\x05\x06', 'latin1'),
      Buffer.alloc(18),
    ]);
    const comment = Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, html.length + 2]), html]);
    const inComment = Buffer.concat([jpeg.subarray(0, 2), comment, jpeg.subarray(2)]);
    for (const [name, bytes] of [
      ['html', Buffer.concat([jpeg, html])],
      ['zip', Buffer.concat([jpeg, zip])],
      ['comment', inComment],
    ] as const) {
      expect(bytes.includes(Buffer.from('<script')) || bytes.includes(Buffer.from('PK\x03\x04', 'latin1')), name).toBe(
        true,
      );
      const out = await processUpload(new Uint8Array(bytes), `${name}.jpg`, 'image', limits);
      expect(out.mime).toBe('image/jpeg');
      for (const needle of ['<script', '<html', 'PK\x03\x04', 'PK\x05\x06', 'evil.js'])
        expect(has(out.bytes, needle), `${name}: ${needle}`).toBe(false);
    }
  });
});

describe('limits', () => {
  it('refuses a decompression bomb (a tiny PNG of 64 million pixels) with file.tooManyPixels', async () => {
    const bomb = rawPng(8000, 8000, deflateSync(Buffer.alloc(8000 * 1001), { level: 9 }));
    expect(bomb.byteLength).toBeLessThan(20_000);
    expect((await refusal(processUpload(bomb, 'bomb.png', 'image', limits))).code).toBe('file.tooManyPixels');
    // A header claiming 100000×100000 pixels with almost no data.
    const claim = rawPng(100_000, 100_000, deflateSync(Buffer.alloc(10)));
    expect((await refusal(processUpload(claim, 'claim.png', 'image', limits))).code).toBe('file.tooManyPixels');
    // The same image is fine under a higher limit (the limit is what refuses it).
    const small = rawPng(800, 800, deflateSync(Buffer.alloc(800 * 101)));
    expect((await refusal(processUpload(small, 'small.png', 'image', { ...limits, maxPixels: 500_000 }))).code).toBe(
      'file.tooManyPixels',
    );
    expect((await processUpload(small, 'small.png', 'image', limits)).width).toBe(800);
  });

  it('caps size and count with translated messages, and stores nothing from a refused batch', async () => {
    const png = await pngBytes();
    const big = await refusal(processUpload(png, 'ảnh lớn.png', 'image', { ...limits, maxBytes: 100 }));
    expect(big.code).toBe('file.tooLarge');
    expect(common.t('vi')(big.code, big.vars)).toBe('Tệp “ảnh lớn.png” vượt quá 0 MB.');
    expect(common.t('en')(big.code, big.vars)).toBe('The file “ảnh lớn.png” is larger than 0 MB.');

    const many = await refusal(
      storeUploads(db, store, [file(png, '1.png'), file(png, '2.png'), file(png, '3.png')], 'image', {
        ...limits,
        maxFiles: 2,
      }),
    );
    expect(many.code).toBe('file.tooMany');
    expect(common.t('vi')(many.code, many.vars)).toBe('Tối đa 2 tệp.');
    expect(common.t('en')(many.code, many.vars)).toBe('At most 2 files.');

    const bad = await refusal(
      storeUploads(db, store, [file(png, 'ok.png'), file('not an image', 'x.jpg')], 'image', limits),
    );
    expect(common.t('vi')(bad.code, bad.vars)).toBe('Tệp “x.jpg” không phải ảnh (JPEG, PNG, WebP) hoặc PDF hợp lệ.');
    expect(common.t('en')('file.tooManyPixels', { name: 'b.png' })).toBe('The image “b.png” has too many pixels.');
    const rows = await db.query(
      `SELECT original_name FROM files WHERE original_name IN ('1.png', '2.png', '3.png', 'ok.png', 'x.jpg')`,
    );
    expect(rows).toEqual([]);

    // Empty file inputs (a form with no file chosen) are ignored.
    expect(await storeUploads(db, store, [file('', 'empty.jpg')], 'image', limits)).toEqual([]);
  });
});

describe('PDF', () => {
  it('accepts a plain PDF unchanged', async () => {
    const plain = pdf('4 0 obj << /Length 0 >>\nstream\n\nendstream endobj');
    const out = await processUpload(plain, 'cong-van.pdf', 'image-or-pdf', limits);
    expect(out).toMatchObject({ mime: 'application/pdf', width: null });
    expect(Buffer.from(out.bytes).equals(Buffer.from(plain))).toBe(true);
  });

  it('refuses JavaScript, also spelled with #xx escapes or hidden in a compressed object stream', async () => {
    const objstm = deflateSync(Buffer.from('5 0 << /S /JavaScript /JS (app.alert\\(1\\)) >>'));
    const variants = [
      pdf('4 0 obj << /Type /Action /S /JavaScript /JS (app.alert(1)) >> endobj'),
      pdf('4 0 obj << /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> >> endobj'),
      pdf('4 0 obj << /AA << /O << /S /Launch /F (cmd.exe) >> >> >> endobj'),
      pdf('4 0 obj << /Names << /EmbeddedFiles 5 0 R >> >> endobj'),
      new Uint8Array(
        Buffer.concat([
          Buffer.from(
            '%PDF-1.5\n4 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ' +
              objstm.length +
              ' >>\nstream\n',
            'latin1',
          ),
          objstm,
          Buffer.from('\nendstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1'),
        ]),
      ),
    ];
    for (const [i, v] of variants.entries()) {
      expect(isPlainPdf(v), `variant ${i}`).toBe(false);
      expect((await refusal(processUpload(v, 'x.pdf', 'image-or-pdf', limits))).code).toBe('file.badType');
    }
  });

  it('refuses a PDF with HTML or a ZIP glued after its end', async () => {
    expect(isPlainPdf(pdf('', '<html><script>alert(1)</script></html>'))).toBe(false);
    expect(isPlainPdf(pdf('', 'PK\x03\x04 payload'))).toBe(false);
    expect(isPlainPdf(pdf('', '\n\n'))).toBe(true);
  });

  it('does not mistake random binary image data in a stream for a keyword', () => {
    const noise = Buffer.from('zz /JS( <html> /Launch ', 'latin1');
    const body = Buffer.concat([
      Buffer.from('4 0 obj << /Subtype /Image /Filter /DCTDecode /Length 24 >>\nstream\n', 'latin1'),
      noise,
      Buffer.from('\nendstream endobj', 'latin1'),
    ]);
    expect(isPlainPdf(pdf(body.toString('latin1')))).toBe(true);
  });
});

describe('storage under DATA_DIR', () => {
  it('stores the re-encoded bytes on disk, reads them back and deletes both file and row', async () => {
    const [saved] = await storeUploads(db, store, [file(await jpegWithGps(), 'hiện trường.jpg')], 'image', limits);
    expect(saved).toMatchObject({ mime: 'image/jpeg', width: 120, height: 80 });
    const row = await db.one<{ storage_key: string; sha256: string; size: number; original_name: string }>(
      `SELECT * FROM files WHERE id = $1`,
      [saved.id],
    );
    expect(row!.original_name).toBe('hiện trường.jpg');
    const onDisk = path.join(dir, 'files', row!.storage_key);
    expect(onDisk.startsWith(path.join(dir, 'files'))).toBe(true);
    const bytes = readFileSync(onDisk);
    expect(bytes.byteLength).toBe(row!.size);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(row!.sha256);
    const loaded = await loadFile(db, store, saved.id);
    expect(Buffer.from(loaded!.bytes).equals(bytes)).toBe(true);

    await deleteFile(db, store, saved.id);
    expect(existsSync(onDisk)).toBe(false);
    expect(await readFileRow(db, saved.id)).toBeUndefined();
    expect(await loadFile(db, store, saved.id)).toBeUndefined();
  });

  it('refuses storage keys that leave the store, and ids that are not ids', async () => {
    await expect(store.put('../../etc/passwd', new Uint8Array([1]))).rejects.toThrow('bad storage key');
    await expect(store.get('a/../../b')).rejects.toThrow('bad storage key');
    expect(await store.get('ab/missing.jpg')).toBeNull();
    expect(await readFileRow(db, "x' OR 1=1 --")).toBeUndefined();
  });
});
