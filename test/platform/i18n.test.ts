import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { common } from '../../src/platform/i18n/common.js';
import {
  defineCatalog,
  formatDate,
  formatDateTime,
  formatNumber,
  formatPercent,
  localDate,
  type Catalog,
} from '../../src/platform/i18n/index.js';

/** Every catalog in the code base: each file under src/ that calls defineCatalog, every catalog it exports. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) && !name.endsWith('.test.ts') ? [full] : [];
  });
}

const isCatalog = (v: unknown): v is Catalog<string> =>
  !!v && typeof v === 'object' && 'vi' in v && 'en' in v && typeof (v as Catalog<string>).t === 'function';

const catalogs: { name: string; catalog: Catalog<string> }[] = [];
for (const file of sourceFiles(path.resolve('src'))) {
  if (!readFileSync(file, 'utf8').includes('defineCatalog(') || file.endsWith(path.join('i18n', 'index.ts'))) continue;
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  for (const [exported, value] of Object.entries(mod)) {
    if (isCatalog(value)) catalogs.push({ name: `${path.relative(process.cwd(), file)}#${exported}`, catalog: value });
  }
}

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogs', () => {
  it('finds the platform catalog and every module catalog', () => {
    expect(catalogs.map((c) => c.name)).toContain('src/platform/i18n/common.ts#common');
    expect(catalogs.length).toBeGreaterThanOrEqual(1);
  });

  for (const { name, catalog } of catalogs) {
    describe(name, () => {
      it('has the same keys in vi and en', () => {
        const vi = Object.keys(catalog.vi).sort();
        const en = Object.keys(catalog.en).sort();
        expect(
          en.filter((k) => !vi.includes(k)),
          'keys only in en',
        ).toEqual([]);
        expect(
          vi.filter((k) => !en.includes(k)),
          'keys only in vi',
        ).toEqual([]);
      });

      it('has no empty message and the same {placeholders} in both languages', () => {
        for (const locale of ['vi', 'en'] as const) {
          const empty = Object.entries(catalog[locale])
            .filter(([, v]) => typeof v !== 'string' || v.trim() === '')
            .map(([k]) => k);
          expect(empty, `empty ${locale} messages`).toEqual([]);
        }
        const mismatched = Object.keys(catalog.vi).filter(
          (k) => placeholders(catalog.vi[k]).join() !== placeholders(catalog.en[k] ?? '').join(),
        );
        expect(mismatched, 'placeholders differ').toEqual([]);
      });
    });
  }

  it('Vietnamese messages carry diacritics (not typed without accents)', () => {
    const words = Object.values(common.vi).join(' ');
    expect(words).toMatch(/[ăâđêôơưáàảãạéèẻẽẹíìỉĩịóòỏõọúùủũụýỳỷỹỵ]/i);
    expect(common.vi['nav.signIn']).toBe('Đăng nhập');
    expect(common.en['nav.signIn']).toBe('Sign in');
  });

  it('translates with variables and falls back to Vietnamese for a missing English text', () => {
    expect(common.t('vi')('error.rateLimited', { seconds: 30 })).toBe(
      'Bạn thao tác quá nhanh. Vui lòng thử lại sau 30 giây.',
    );
    expect(common.t('en')('auth.locked', { minutes: 15 })).toContain('Try again in 15 minutes');
    const partial = defineCatalog({ a: 'Một' }, { a: '' } as { a: string });
    expect(partial.t('en')('a')).toBe('Một');
    // A key missing in one language is a type error (npm run typecheck fails if this stops being one).
    // @ts-expect-error 'b' is missing in English
    defineCatalog({ a: 'Một', b: 'Hai' }, { a: 'One' });
    const c = defineCatalog({ greet: 'Chào {name}' }, { greet: 'Hi {name}' });
    expect(c.t('en')('greet', { name: 'Lan' })).toBe('Hi Lan');
    expect(c.t('vi')('greet')).toBe('Chào {name}');
  });
});

describe('dates and numbers for Asia/Ho_Chi_Minh', () => {
  const instant = new Date('2026-01-31T17:30:00Z'); // 00:30 on 1 February in Vietnam (UTC+7)

  it('formats date and time in Vietnam’s time zone, whatever the server’s', () => {
    expect(formatDateTime('vi', instant)).toBe('01/02/2026 00:30');
    expect(formatDateTime('en', instant)).toBe('01/02/2026 00:30');
    expect(formatDateTime('vi', '2026-06-30T23:59:00Z')).toBe('01/07/2026 06:59');
    expect(formatDateTime('vi', '2026-01-01T05:00:00+07:00')).toBe('01/01/2026 05:00');
    expect(formatDateTime('vi', null)).toBe('');
    expect(formatDate('vi', instant)).toBe('01/02/2026');
    expect(formatDate('en', '2026-02-01')).toBe('01/02/2026');
    expect(localDate(instant)).toBe('2026-02-01');
  });

  it('formats numbers the Vietnamese way in vi and the English way in en', () => {
    expect(formatNumber('vi', 1234567.89)).toBe('1.234.567,9');
    expect(formatNumber('en', 1234567.89)).toBe('1,234,567.9');
    expect(formatPercent('vi', 0.125)).toBe('12,5%');
    expect(formatPercent('en', 0.125)).toBe('12.5%');
  });
});
