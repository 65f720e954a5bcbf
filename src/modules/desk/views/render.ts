/** Safe Markdown, JSON-LD, feeds and sitemap. Hostile text stays inert in every output. */
import { Marked } from 'marked';
import type { ItemView } from '../repo.js';
import { claimReviewCore } from '../service/claim-review.js';

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export const isHttpUrl = (u: string | null | undefined): u is string => {
  if (!u) return false;
  try {
    const p = new URL(u).protocol;
    return p === 'http:' || p === 'https:';
  } catch {
    return false;
  }
};

/**
 * A path on this site ("/policies/method"). Browsers read a backslash as a slash and drop tabs and newlines, so
 * "/\evil.com" or "/\t/evil.com" would leave the site as "//evil.com": refused, like any encoded slash or backslash
 * that could be decoded on the way, and the result must still resolve to this site.
 */
export function isLocalPath(u: string | null | undefined): u is string {
  if (!u || !u.startsWith('/') || u.length > 2000) return false;
  if (/[\\\s\u0000-\u001f\u007f]/.test(u) || /^\/[/\\]/.test(u) || /%(2f|5c|09|0a|0d|00)/i.test(u.slice(0, 4)))
    return false;
  try {
    return new URL(u, 'https://local.invalid/').host === 'local.invalid';
  } catch {
    return false;
  }
}

const md = new Marked({ async: false, gfm: true, breaks: false });
md.use({
  renderer: {
    // raw HTML in the source is shown as text, never interpreted
    html(tok) {
      return escapeHtml(tok.text);
    },
    link(tok) {
      const inner = this.parser.parseInline(tok.tokens);
      // an outside link is written out as the browser will read it ("https:\\evil.com" → "https://evil.com/")
      const href = isLocalPath(tok.href) ? tok.href : isHttpUrl(tok.href) ? new URL(tok.href).href : null;
      if (!href) return inner;
      return `<a href="${escapeHtml(href)}" rel="nofollow noopener">${inner}</a>`;
    },
    image(tok) {
      return escapeHtml(tok.text ?? '');
    },
  },
});

/** Markdown to HTML with raw HTML escaped, links http/https only, no images. */
export function renderMarkdown(src: string): string {
  return md.parse(src ?? '') as string;
}

/** JSON for a <script type="application/ld+json"> block: `<`, `>`, `&` and line separators escaped. */
export function jsonLdText(obj: unknown): string {
  return JSON.stringify(obj)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Characters XML 1.0 does not allow are dropped; the rest escaped. */
export function xml(s: string | null | undefined): string {
  return escapeHtml(
    String(s ?? '').replace(/[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, ''),
  );
}

export interface FeedEntry {
  id: string;
  url: string;
  title: string;
  summary: string;
  published: Date;
  updated: Date;
  kind: string;
}

export interface FeedMeta {
  title: string;
  description: string;
  homeUrl: string;
  /** the feed URL without extension, e.g. https://x/topics/y/feed */
  selfBase: string;
  updated: Date;
  language: string;
  author: string;
}

export function rss(meta: FeedMeta, items: FeedEntry[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>${xml(meta.title)}</title>
<link>${xml(meta.homeUrl)}</link>
<description>${xml(meta.description)}</description>
<language>${meta.language}</language>
<lastBuildDate>${meta.updated.toUTCString()}</lastBuildDate>
<atom:link href="${xml(meta.selfBase)}.rss" rel="self" type="application/rss+xml"/>
${items
  .map(
    (i) => `<item>
<title>${xml(i.title)}</title>
<link>${xml(i.url)}</link>
<guid isPermaLink="true">${xml(i.url)}</guid>
<pubDate>${i.published.toUTCString()}</pubDate>
<category>${xml(i.kind)}</category>
<description>${xml(i.summary)}</description>
</item>`,
  )
  .join('\n')}
</channel>
</rss>
`;
}

export function atom(meta: FeedMeta, items: FeedEntry[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${meta.language}">
<id>${xml(meta.selfBase)}.atom</id>
<title>${xml(meta.title)}</title>
<subtitle>${xml(meta.description)}</subtitle>
<updated>${meta.updated.toISOString()}</updated>
<link rel="self" type="application/atom+xml" href="${xml(meta.selfBase)}.atom"/>
<link rel="alternate" type="text/html" href="${xml(meta.homeUrl)}"/>
<author><name>${xml(meta.author)}</name></author>
${items
  .map(
    (i) => `<entry>
<id>${xml(i.url)}</id>
<title type="text">${xml(i.title)}</title>
<link rel="alternate" type="text/html" href="${xml(i.url)}"/>
<published>${i.published.toISOString()}</published>
<updated>${i.updated.toISOString()}</updated>
<category term="${xml(i.kind)}"/>
<summary type="text">${xml(i.summary)}</summary>
</entry>`,
  )
  .join('\n')}
</feed>
`;
}

export function jsonFeed(meta: FeedMeta, items: FeedEntry[]) {
  return {
    version: 'https://jsonfeed.org/version/1.1',
    title: meta.title,
    home_page_url: meta.homeUrl,
    feed_url: `${meta.selfBase}.json`,
    description: meta.description,
    language: meta.language,
    authors: [{ name: meta.author }],
    items: items.map((i) => ({
      id: i.id,
      url: i.url,
      title: i.title,
      content_text: i.summary,
      summary: i.summary,
      date_published: i.published.toISOString(),
      date_modified: i.updated.toISOString(),
      tags: [i.kind],
    })),
  };
}

export function sitemap(urls: { loc: string; lastmod?: Date | null }[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${urls.map((u) => `<url><loc>${xml(u.loc)}</loc>${u.lastmod ? `<lastmod>${u.lastmod.toISOString()}</lastmod>` : ''}</url>`).join('\n')}
</urlset>
`;
}

/** schema.org data for a piece: ClaimReview for a fact-check, VideoObject, NewsArticle. */
export function factcheckJsonLd(i: ItemView, url: string, org: { name: string; url: string }) {
  if (i.kind === 'factcheck') {
    const core = claimReviewCore(i, org);
    return {
      '@context': 'https://schema.org',
      '@type': 'ClaimReview',
      // an imported fact-check keeps its own canonical address (its page in the archive)
      url: i.canonical_url ?? url,
      datePublished: i.published_at ? new Date(i.published_at).toISOString() : undefined,
      dateModified: i.updated_public_at ? new Date(i.updated_public_at).toISOString() : undefined,
      claimReviewed: i.claim,
      name: i.title,
      ...core,
      itemReviewed: {
        ...core.itemReviewed,
        firstAppearance: i.appearances[0]
          ? {
              '@type': 'CreativeWork',
              url: i.appearances[0].url ?? undefined,
              description: i.appearances[0].description,
            }
          : undefined,
      },
    };
  }
  const base = {
    '@context': 'https://schema.org',
    url,
    headline: i.title,
    name: i.title,
    description: i.summary,
    datePublished: i.published_at ? new Date(i.published_at).toISOString() : undefined,
    dateModified: new Date(i.updated_public_at ?? i.published_at ?? i.updated_at).toISOString(),
    author: { '@type': 'Organization', name: org.name, url: org.url },
    publisher: { '@type': 'Organization', name: org.name, url: org.url },
    inLanguage: 'vi',
  };
  if (i.kind === 'video') {
    return {
      ...base,
      '@type': 'VideoObject',
      uploadDate: base.datePublished,
      thumbnailUrl: i.poster_url ? new URL(i.poster_url, url).toString() : undefined,
      contentUrl: i.video_url,
      transcript: i.transcript,
    };
  }
  return { ...base, '@type': 'NewsArticle', mainEntityOfPage: url };
}
