import { interpolate, type Locale, type Vars } from '../i18n/index.js';

export interface MessageTemplate {
  subject: string;
  text: string;
  /** E-mail only: the Reply-To address (taken from the message's `replyTo` variable). */
  replyTo?: string;
}

/** Modules register their message templates once, in both languages. */
const templates = new Map<string, Record<Locale, MessageTemplate>>();

export function registerTemplates(defs: Record<string, Record<Locale, MessageTemplate>>): void {
  for (const [name, t] of Object.entries(defs)) templates.set(name, t);
}

/** Every registered template by name (for the parity test and the staff area). */
export function registeredTemplates(): ReadonlyMap<string, Record<Locale, MessageTemplate>> {
  return templates;
}

export function renderTemplate(name: string, locale: Locale, vars: Vars): MessageTemplate {
  const t = templates.get(name);
  if (!t) throw new Error(`unknown message template: ${name}`);
  const m = t[locale] ?? t.vi;
  return { subject: interpolate(m.subject, vars), text: interpolate(m.text, vars) };
}

registerTemplates({
  'auth.password-reset': {
    vi: {
      subject: 'Đặt lại mật khẩu Cầu Nối',
      text: 'Xin chào {name},\n\nMở liên kết sau trong vòng 1 giờ để đặt mật khẩu mới:\n{url}\n\nNếu bạn không yêu cầu, hãy bỏ qua thư này.',
    },
    en: {
      subject: 'Reset your Cầu Nối password',
      text: 'Hello {name},\n\nOpen this link within one hour to set a new password:\n{url}\n\nIf you did not ask for this, ignore this message.',
    },
  },
});
