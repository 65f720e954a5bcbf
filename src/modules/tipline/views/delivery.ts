import type { Locale } from '../../../platform/i18n/index.js';
import { tiplineText, type TiplineKey } from '../i18n.js';

/** How one outgoing message went, in words: sent, queued, or why it could not be sent and what was done instead. */
export function deliveryLabel(locale: Locale, status: string | null, error: string | null): string {
  const t = tiplineText.t(locale);
  if (!status) return '';
  const m = error?.match(/tipline:(window|blocked|token|gone|off)(?::(email|sms|none))?/);
  if (status === 'failed' && m) {
    const reason = t((m[1] === 'window' || m[1] === 'blocked' ? `reason.${m[1]}` : 'reason.other') as TiplineKey);
    if (m[2] === 'email' || m[2] === 'sms')
      return t('delivery.fallback', { reason, via: m[2] === 'email' ? 'e-mail' : 'SMS' });
    return t('delivery.notSent', { reason });
  }
  return t(`delivery.${status}` as TiplineKey);
}
