import type { Deps } from '../../../http/context.js';
import type { Locale } from '../../../platform/i18n/index.js';
import { mt } from '../i18n.js';
import * as repo from '../repo.js';
import { publicList } from '../service.js';
import { xmlEscape } from '../views/xml.js';

/** Atom 1.0 feed of the latest answered reports of a unit subtree or a category (no personal data). */
export async function atomFeed(
  deps: Pick<Deps, 'db' | 'config' | 'state'>,
  kind: 'unit' | 'category',
  key: string,
  locale: Locale,
): Promise<string | null> {
  const base = deps.config.baseUrl;
  let title: string;
  let filter: repo.PublicFilter = { status: 'answered', limit: 50, offset: 0 };
  let page: string;
  if (kind === 'unit') {
    const u = await repo.findUnitByCode(deps.db, key);
    if (!u) return null;
    title = mt.t(locale)('feed.unit', { name: locale === 'en' ? (u.name_en ?? u.full_name) : u.full_name });
    filter = { ...filter, unitPath: u.path };
    page = `${base}/mailbox?unit=${u.id}&status=answered`;
  } else {
    const c = await repo.findCategoryByCode(deps.db, key);
    if (!c) return null;
    title = mt.t(locale)('feed.category', { name: locale === 'en' ? c.name_en : c.name });
    filter = { ...filter, categoryId: c.id };
    page = `${base}/mailbox?category=${c.id}&status=answered`;
  }
  const { rows } = await publicList(deps, { ...filter, full: true });
  const self = `${base}/mailbox/feed/${kind}/${encodeURIComponent(key)}.atom`;
  const updated = rows.reduce((d, r) => Math.max(d, new Date(r.answered_at ?? r.received_at).getTime()), 0);
  const entries = rows.map((r) => {
    const url = `${base}/mailbox/r/${r.code}`;
    const content = `${r.description}\n\n— ${mt.t(locale)('status.answer')}${r.agency_name ? ` (${r.agency_name})` : ''}:\n${r.answer ?? ''}`;
    return `<entry>
  <id>${xmlEscape(url)}</id>
  <title>${xmlEscape(`${r.code}: ${r.title}`)}</title>
  <link rel="alternate" type="text/html" href="${xmlEscape(url)}"/>
  <published>${new Date(r.received_at).toISOString()}</published>
  <updated>${new Date(r.answered_at ?? r.received_at).toISOString()}</updated>
  <category term="${xmlEscape(r.category_code)}" label="${xmlEscape(r.category_name)}"/>
  <summary>${xmlEscape(r.title)}</summary>
  <content type="text">${xmlEscape(content)}</content>
</entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${locale}">
<id>${xmlEscape(self)}</id>
<title>${xmlEscape(title)}</title>
<updated>${new Date(updated || Date.now()).toISOString()}</updated>
<link rel="self" type="application/atom+xml" href="${xmlEscape(self)}"/>
<link rel="alternate" type="text/html" href="${xmlEscape(page)}"/>
<author><name>${xmlEscape(deps.config.ORG_NAME)}</name></author>
${entries.join('\n')}
</feed>
`;
}
