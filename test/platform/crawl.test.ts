/**
 * Every page a demo user can reach by following links from the home page and the staff area answers
 * without a server error and shows no unfilled value ("undefined", "NaN", a raw message key).
 * One page per link shape (/mailbox/r/N…), so the walk stays short.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDbKind } from '../helpers/db.js';
import { testApp, type TestApp, type TestClient } from '../helpers/app.js';

/** Links that act (sign out, switch language), download files or are resident-private. */
const SKIP = /^\/(signout|lang\/)|\/(export|download|erase)\b|\.(csv|xlsx|json|xml|atom|rss|ics|pdf|jpg|png|svg)(\?|$)|^\/(mailbox\/s|s)\//;
const UNFILLED = /(>|\s)(undefined|NaN|null|\[object Object\])(<|\s)|\{[a-z][a-zA-Z]*\}/;

async function walk(c: TestClient, starts: string[], limit = 300) {
  const seen = new Set<string>();
  const shapes = new Set<string>();
  const queue = [...starts];
  const problems: string[] = [];
  let visited = 0;
  while (queue.length && visited < limit) {
    const url = queue.shift()!;
    visited++;
    const page = await c.get(url);
    if (page.status >= 500) problems.push(`${page.status} ${url}`);
    if (!(page.headers.get('content-type') ?? '').includes('text/html')) continue;
    const body = page.text.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>|<svg[\s\S]*?<\/svg>/g, '').replace(/<[^>]+>/g, (tag) => (tag.startsWith('<input') || tag.startsWith('<textarea') ? '' : '<>'));
    const bad = body.match(UNFILLED);
    if (bad) problems.push(`${url} shows “${bad[0].trim()}”`);
    for (const m of page.text.matchAll(/href="(\/[^"#]*)"/g)) {
      const href = m[1].replace(/&amp;/g, '&');
      const shape = href.replace(/\?.*$/, (q) => (q ? '?' : '')).replace(/[0-9a-f]{8}-[0-9a-f-]{27}|\d+|[A-Z]{2,}-\d{4}-\d+/g, 'N');
      if (SKIP.test(href) || seen.has(href) || shapes.has(shape)) continue;
      seen.add(href);
      shapes.add(shape);
      queue.push(href);
    }
  }
  return { visited, problems };
}

describe(`every linked page answers for every demo role (${testDbKind()})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  it.each([null, 'admin', 'editor', 'reviewer', 'handler', 'member'])('%s', async (role) => {
    const c = t.client();
    if (role) await c.signIn(`${role}@demo.local`);
    const { visited, problems } = await walk(c, role ? ['/', '/staff'] : ['/']);
    expect(problems).toEqual([]);
    expect(visited).toBeGreaterThan(role ? 40 : 25);
  }, 120_000);
});
