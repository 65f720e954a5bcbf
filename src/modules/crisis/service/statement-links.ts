/** A released statement's addresses (its page, the verify page) and the text a resident shares. */
import { formatDateTime, type Locale } from '../../../platform/i18n/index.js';
import { crisisText } from '../i18n.js';
import type { SiteInfo } from './common.js';

export function statementUrl(site: SiteInfo, number: string): string {
  return `${site.baseUrl}/statements/${encodeURIComponent(number)}`;
}

export function verifyUrl(site: SiteInfo, code?: string): string {
  return `${site.baseUrl}/verify${code ? `?code=${encodeURIComponent(code)}` : ''}`;
}

/** The text a resident shares: title, body and the footer that lets anyone verify it. */
export function shareText(
  s: {
    title: string;
    title_en: string | null;
    body: string;
    body_en: string | null;
    number: string;
    code: string;
    released_at: Date;
  },
  site: SiteInfo,
  locale: Locale,
): string {
  const t = crisisText.t(locale);
  const en = locale === 'en' && s.body_en;
  const title = en ? s.title_en || s.title : s.title;
  const body = en ? s.body_en! : s.body;
  return `${title}\n\n${body}\n\n${t('stmt.number')} ${s.number} — ${formatDateTime(locale, s.released_at)}\n${t('stmt.code')}: ${s.code}\n${verifyUrl(site, s.code)}`;
}
