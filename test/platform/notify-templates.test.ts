import { describe, expect, it } from 'vitest';
import { modules } from '../../src/modules/index.js';
import { LOCALES } from '../../src/platform/i18n/index.js';
import { appTemplates } from '../../src/bootstrap.js';

const templates = appTemplates(modules);
const placeholders = (s: string) => [...new Set([...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

describe('message templates of the platform and every module', () => {
  it('are loaded', () => {
    expect(modules.length).toBeGreaterThan(0);
    expect(templates.has('auth.password-reset')).toBe(true);
  });

  it('exist in Vietnamese and English, non-empty, with the same placeholders in both', () => {
    const problems: string[] = [];
    for (const [name, t] of templates.all()) {
      for (const l of LOCALES) {
        if (!t[l]?.subject?.trim() || !t[l]?.text?.trim()) problems.push(`${name}: ${l} subject or text is empty`);
      }
      if (!t.vi || !t.en) continue;
      const vi = placeholders(t.vi.subject + t.vi.text);
      const en = placeholders(t.en.subject + t.en.text);
      if (vi.join() !== en.join()) problems.push(`${name}: placeholders differ, vi {${vi}} en {${en}}`);
      // a template that only carries text already written in the recipient's language (a chat message) has no words of its own
      const ownWords = (x: string) => /\p{L}/u.test(x.replace(/\{\w+\}/g, ''));
      const passThrough = !ownWords(t.vi.subject + t.vi.text);
      if (!passThrough && t.vi.subject === t.en.subject && t.vi.text === t.en.text)
        problems.push(`${name}: English is a copy of Vietnamese`);
    }
    expect(problems).toEqual([]);
  });

  it('render with every placeholder filled and no stray braces', () => {
    for (const [name, t] of templates.all()) {
      const vars = Object.fromEntries(placeholders(t.vi.subject + t.vi.text).map((p) => [p, `«${p}»`]));
      for (const l of LOCALES) {
        const m = templates.render(name, l, vars);
        expect(`${m.subject}\n${m.text}`, `${name} ${l}`).not.toMatch(/\{\w+\}/);
        expect(m.subject, `${name} ${l}: subject is one line`).not.toContain('\n');
      }
    }
  });
});
