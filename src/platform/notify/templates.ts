import { interpolate, type Locale, type Vars } from '../i18n/index.js';

export interface MessageTemplate {
  subject: string;
  text: string;
  /** E-mail only: the Reply-To address (taken from the message's `replyTo` variable). */
  replyTo?: string;
}

/** Message templates by name, each in both languages: what a module declares in its AppModule's `templates`. */
export type TemplateTable = Record<string, Record<Locale, MessageTemplate>>;

/** One app's message templates, built in bootstrap.ts from the platform's and the modules' tables, carried in Deps. */
export class Templates {
  private readonly byName = new Map<string, Record<Locale, MessageTemplate>>();

  constructor(tables: readonly (TemplateTable | undefined)[] = []) {
    for (const t of tables) if (t) this.add(t);
  }

  /** Adds a table; a name declared twice with different text is refused (one would silently win). */
  add(table: TemplateTable): this {
    for (const [name, t] of Object.entries(table)) {
      const had = this.byName.get(name);
      if (had && had !== t && JSON.stringify(had) !== JSON.stringify(t))
        throw new Error(`message template ${name} declared twice`);
      this.byName.set(name, t);
    }
    return this;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** Every template by name (for the parity test and the staff area). */
  all(): ReadonlyMap<string, Record<Locale, MessageTemplate>> {
    return this.byName;
  }

  render(name: string, locale: Locale, vars: Vars): MessageTemplate {
    const t = this.byName.get(name);
    if (!t) throw new Error(`unknown message template: ${name}`);
    const m = t[locale] ?? t.vi;
    return { subject: interpolate(m.subject, vars), text: interpolate(m.text, vars) };
  }
}

/** The platform's own messages (the auth and audit ones live beside their code). */
export const platformTemplates: TemplateTable = {
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
};
