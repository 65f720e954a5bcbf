/**
 * Every page a demo user can reach by following links from the home page and the staff area answers
 * without a server error and shows no unfilled value ("undefined", "NaN", a raw message key); the same
 * pages with an id no row can have, or with odd values in their query, answer without a server error too;
 * and every form on them, sent empty or with odd values in every field, is refused or handled without a server error. One page per link shape (/mailbox/r/N…), so the walk stays short.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/platform/auth/service.js';
import { testDbKind } from '../helpers/db.js';
import { testApp, type TestApp, type TestClient } from '../helpers/app.js';
import { makeUser, realUnit } from '../helpers/factories.js';

/** Links that act (sign out, switch language), download files or are resident-private. */
const SKIP =
  /^\/(signout|lang\/)|\/(export|download|erase)\b|\.(csv|xlsx|json|xml|atom|rss|ics|pdf|jpg|png|svg)(\?|$)|^\/(mailbox\/s|s)\//;
/** Forms that end the session under test. */
const SKIP_FORM = /signout|sign-out|sessions|\/lang\//;
const UNFILLED = /(>|\s)(undefined|NaN|null|\[object Object\])(<|\s)|\{[a-z][a-zA-Z]*\}/;
/** Ids no row can have: past PostgreSQL's integer, and past any id at all. */
const IMPOSSIBLE_IDS = ['2147483648', '99999999999'];
/** What a tampered or stale form may send in place of a choice or a number. */
const ODD_FORM_VALUES = ['abc', '99999999999', 'x'.repeat(5000)];
/** What a hand-edited query string may hold. */
const ODD_VALUES = ['', 'abc', '-1', '99999999999', '1e400', '2026-02-30', '\'"<>', 'x'.repeat(3000)];

async function walk(c: TestClient, starts: string[], limit = 300) {
  const seen = new Set<string>();
  const shapes = new Set<string>();
  const forms = new Map<string, { action: string; fields: string[]; typed: string[] }>();
  const queue = [...starts];
  const problems: string[] = [];
  let visited = 0;
  while (queue.length && visited < limit) {
    const url = queue.shift()!;
    visited++;
    const page = await c.get(url);
    if (page.status >= 500) problems.push(`${page.status} ${url}`);
    for (const id of /\/\d+/.test(url) ? IMPOSSIBLE_IDS : []) {
      const other = url.replace(/\/\d+/, `/${id}`);
      const res = await c.get(other);
      if (res.status >= 500) problems.push(`${res.status} ${other}`);
    }
    const [path, query] = url.split('?');
    for (const key of new URLSearchParams(query ?? '').keys()) {
      if (seen.has(`${path}?${key}`)) continue;
      seen.add(`${path}?${key}`);
      for (const value of ODD_VALUES) {
        const params = new URLSearchParams(query);
        params.set(key, value);
        const res = await c.get(`${path}?${params}`);
        if (res.status >= 500) problems.push(`${res.status} ${path}?${key}=${value.slice(0, 20)}`);
      }
    }
    if (!(page.headers.get('content-type') ?? '').includes('text/html')) continue;
    const body = page.text
      .replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>|<svg[\s\S]*?<\/svg>/g, '')
      // a placeholder shown as code, or in a template being edited, is what staff type, not an unfilled value
      .replace(/<code>[^<]*<\/code>/g, '<>')
      .replace(
        /(<textarea[^>]*>)([^<]*)(<\/textarea>)/g,
        (_m, open, text: string, close) => open + text.replace(/\{[a-z]\w*\}/g, '') + close,
      )
      .replace(/<[^>]+>/g, (tag) => (tag.startsWith('<input') || tag.startsWith('<textarea') ? '' : '<>'));
    const bad = body.match(UNFILLED);
    if (bad) problems.push(`${url} shows “${bad[0].trim()}”`);
    for (const m of page.text.matchAll(/<form[^>]*method="post"[^>]*action="(\/[^"]*)"[^>]*>([\s\S]*?)<\/form>/g)) {
      const action = m[1].replace(/&amp;/g, '&');
      const shape = action.replace(/\d+/g, 'N');
      const fields = [
        ...new Set([...m[2].matchAll(/<(?:input|select|textarea)[^>]*name="([^"]+)"/g)].map((f) => f[1])),
      ].filter((f) => f !== '_csrf');
      // free-text fields (not passwords, which are never sent back, nor hidden or choice fields)
      const typed = [
        ...m[2].matchAll(
          /<(?:input(?![^>]*type="(?:hidden|checkbox|radio|file|submit|password|date|datetime-local|number|email|url|tel)")|textarea)[^>]*name="([^"]+)"/g,
        ),
      ].map((f) => f[1]);
      if (!SKIP_FORM.test(action) && !forms.has(shape)) forms.set(shape, { action, fields, typed });
    }
    for (const m of page.text.matchAll(/href="(\/[^"#]*)"/g)) {
      const href = m[1].replace(/&amp;/g, '&');
      const shape = href
        .replace(/\?.*$/, (q) => (q ? '?' : ''))
        .replace(/[0-9a-f]{8}-[0-9a-f-]{27}|\d+|[A-Z]{2,}-\d{4}-\d+/g, 'N');
      if (SKIP.test(href) || seen.has(href) || shapes.has(shape)) continue;
      seen.add(href);
      shapes.add(shape);
      queue.push(href);
    }
  }
  return { visited, problems, forms: [...forms.values()] };
}

describe(`every linked page and form answers for every demo role (${testDbKind()})`, () => {
  let t: TestApp | undefined;
  afterAll(() => t?.close());

  it.each([
    [null, 'vi'],
    ['admin', 'vi'],
    ['editor', 'vi'],
    ['reviewer', 'vi'],
    ['handler', 'vi'],
    ['member', 'vi'],
    [null, 'en'],
    ['admin', 'en'],
    ['member', 'en'],
  ] as const)(
    '%s (%s)',
    async (role, lang) => {
      await t?.close();
      // about the demo: it walks the pages the demo's data links to, signed in as each of the demo's accounts
      t = await testApp(); // the empty forms below may change data: each role walks its own copy
      const c = t.client();
      if (role) await c.signIn(`${role}@demo.local`);
      if (lang === 'en') {
        await c.get('/lang/en?next=/');
        expect((await c.get('/')).text).toContain('<html lang="en">');
      }
      const { visited, problems, forms } = await walk(c, role ? ['/', '/staff'] : ['/']);
      for (const { action, fields, typed } of forms) {
        const res = await c.post(action, {});
        if (res.status >= 500) problems.push(`${res.status} POST ${action} (empty)`);
        for (const value of ODD_FORM_VALUES) {
          const odd = await c.post(action, Object.fromEntries(fields.map((f) => [f, value])));
          if (odd.status >= 500) problems.push(`${odd.status} POST ${action} (every field “${value.slice(0, 20)}”)`);
          // refused input is explained: beside the fields (an alert) or, for a tampered button, on an error page
          if (
            odd.status === 422 &&
            (odd.headers.get('content-type') ?? '').includes('html') &&
            !/role="alert"|class="error-page"/.test(odd.text)
          )
            problems.push(`422 without a message: POST ${action} (“${value.slice(0, 20)}”)`);
          // …and a form shown again keeps what was typed in it
          // (only in the form that was sent: a page with several forms, e.g. four unit pickers, leaves the others empty)
          const sent = formHtml(odd.text, action);
          const lost =
            odd.status === 422 && value === 'abc'
              ? typed.filter((f) =>
                  new RegExp(
                    `<input[^>]*name="${f}"[^>]*value=""|<input(?![^>]*value=)[^>]*name="${f}"|name="${f}"[^>]*>(?!abc</textarea>)[^<]*</textarea>`,
                  ).test(sent),
                )
              : [];
          if (lost.length) problems.push(`422 lost what was typed in ${lost.join(', ')}: POST ${action}`);
        }
      }
      expect(problems).toEqual([]);
      expect(visited).toBeGreaterThan(role ? 40 : 25);
      expect(forms.length).toBeGreaterThan(role ? 10 : 3);
    },
    180_000,
  );

  it('every API path with an id in it answers ids no row can have without a server error', async () => {
    await t?.close();
    t = await testApp({ demo: false }); // ids no row can have: no rows needed, only an admin's token
    const admin = await makeUser(t.db, { email: 'admin@crawl.test', role: 'admin', unit: await realUnit(t.db, '46') });
    const headers = {
      authorization: `Bearer ${await createToken(t.db, admin, 'walk', 'test')}`,
      'content-type': 'application/json',
    };
    const c = t.client();
    const spec = await c.json<{ paths: Record<string, Record<string, unknown>> }>('/api/v1/openapi.json');
    const problems: string[] = [];
    let tried = 0;
    for (const [path, ops] of Object.entries(spec.body.paths)) {
      if (!path.includes('{')) continue;
      for (const id of [...IMPOSSIBLE_IDS, 'abc', '0']) {
        for (const method of Object.keys(ops).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))) {
          const url = path.replace(/\{[^}]+\}/g, id);
          const res = await c.request(url, {
            method: method.toUpperCase(),
            headers,
            body: method === 'get' ? undefined : '{}',
          });
          tried++;
          if (res.status >= 500) problems.push(`${res.status} ${method.toUpperCase()} ${url}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(tried).toBeGreaterThan(20);
  }, 120_000);
});

/** The form posting to `action` in a page (its opening tag to its end), or the whole page if none is found. */
function formHtml(page: string, action: string): string {
  const path = action.split('?')[0]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`<form[^>]*action="${path}(?:\\?[^"]*)?"[\\s\\S]*?</form>`).exec(page);
  return m ? m[0] : page;
}
