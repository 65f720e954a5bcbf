export const LOCALES = ['vi', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'vi';
export const TIME_ZONE = 'Asia/Ho_Chi_Minh';

export type Vars = Record<string, string | number>;
export type Translate<K extends string> = (key: K, vars?: Vars) => string;

export interface Catalog<K extends string> {
  vi: Record<K, string>;
  en: Record<K, string>;
  /** The translator for one locale. */
  t(locale: Locale): Translate<K>;
}

export function isLocale(v: unknown): v is Locale {
  return v === 'vi' || v === 'en';
}

/**
 * A catalog is written once in Vietnamese; the English one must carry exactly the same keys,
 * so a key missing in either language fails the type check.
 */
export function defineCatalog<const V extends Record<string, string>>(
  vi: V,
  en: { [K in keyof V]: string },
): Catalog<Extract<keyof V, string>> {
  type K = Extract<keyof V, string>;
  const tables = { vi: vi as Record<K, string>, en: en as Record<K, string> };
  return {
    ...tables,
    t: (locale) => (key, vars) => interpolate(tables[locale][key] || tables.vi[key] || key, vars),
  };
}

export function interpolate(template: string, vars?: Vars): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

const intlLocale = (l: Locale) => (l === 'vi' ? 'vi-VN' : 'en-GB');

const dateTimeParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Day/month/year then 24-hour time in Vietnam, e.g. 01/02/2026 00:30 (the same order in both languages). */
export function formatDateTime(_locale: Locale, d: Date | string | null | undefined): string {
  if (!d) return '';
  const date = new Date(d);
  if (Number.isNaN(date.getTime())) return '';
  const p: Record<string, string> = {};
  for (const part of dateTimeParts.formatToParts(date)) p[part.type] = part.value;
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

export function formatDate(locale: Locale, d: Date | string | null | undefined): string {
  if (!d) return '';
  const date = typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d) ? new Date(`${d}T00:00:00+07:00`) : new Date(d);
  return dateFormats[locale].format(date);
}

export function formatNumber(locale: Locale, n: number, maxFractionDigits = 1): string {
  const key = `${locale}:${maxFractionDigits}`;
  let f = numberFormats.get(key);
  if (!f)
    numberFormats.set(
      key,
      (f = new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: maxFractionDigits })),
    );
  return f.format(n);
}

export function formatPercent(locale: Locale, ratio: number): string {
  return percentFormats[locale].format(ratio);
}

/** The calendar date (YYYY-MM-DD) in Vietnam for an instant. */
export function localDate(d: Date): string {
  return isoDateFormat.format(d);
}

// Building an Intl formatter costs far more than using one: one each, made once.
const dateFormats: Record<Locale, Intl.DateTimeFormat> = {
  vi: new Intl.DateTimeFormat('vi-VN', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }),
};
const percentFormats: Record<Locale, Intl.NumberFormat> = {
  vi: new Intl.NumberFormat('vi-VN', { style: 'percent', maximumFractionDigits: 1 }),
  en: new Intl.NumberFormat('en-GB', { style: 'percent', maximumFractionDigits: 1 }),
};
const numberFormats = new Map<string, Intl.NumberFormat>();
const isoDateFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
