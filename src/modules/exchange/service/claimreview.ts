/**
 * Reading ClaimReview from elsewhere: a partner's DataFeed, an unsigned publisher's feed or article pages (JSON-LD).
 * Every text is sanitised (markup removed, control characters dropped, length capped) and every link must be
 * http(s): what arrives is shown on our pages and matched against residents' questions.
 */

export interface ParsedItem {
  remoteId: string;
  url: string;
  claim: string;
  title: string;
  summary: string;
  ratingValue: number | null;
  ratingName: string | null;
  appearances: { url: string | null; description: string }[];
  corrections: { text: string; date: string | null }[];
  places: string[];
  authorName: string;
  authorUrl: string | null;
  language: string | null;
  datePublished: Date | null;
  dateModified: Date | null;
}

export interface ParsedTombstone {
  remoteId: string;
  reason: string;
  dateDeleted: Date | null;
}

export class MalformedError extends Error {
  constructor(readonly detail: string) {
    super(detail);
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Plain text: tags and control characters gone, entities decoded, whitespace collapsed, NFC, at most `max` characters. */
export function cleanText(v: unknown, max: number): string {
  if (typeof v !== 'string') return '';
  return v
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return Number.isFinite(n) && n > 31 && n < 0x110000 ? String.fromCodePoint(n) : ' ';
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .replace(/<[^>]*>/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g, ' ')
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max);
}

/** An absolute http(s) address, or null. */
export function cleanUrl(v: unknown, base?: string): string | null {
  if (typeof v !== 'string' || v.length > 2000) return null;
  try {
    const u = base ? new URL(v, base) : new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

function cleanDate(v: unknown): Date | null {
  if (typeof v !== 'string' || v.length > 40) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v == null ? [] : [v]);
const typeIs = (o: Record<string, any>, t: string) =>
  list(o['@type']).some((x) => typeof x === 'string' && x.replace(/^.*[/#:]/, '') === t);
const nameOf = (v: unknown): string =>
  typeof v === 'string' ? cleanText(v, 200) : isObj(v) ? cleanText(v.name, 200) : '';

/** One ClaimReview object, checked and cleaned; throws MalformedError naming what is wrong. */
export function parseClaimReview(o: unknown, base?: string): ParsedItem {
  if (!isObj(o)) throw new MalformedError('not an object');
  if (!typeIs(o, 'ClaimReview')) throw new MalformedError('not a ClaimReview');
  const url = cleanUrl(o.url, base) ?? cleanUrl(o['@id'], base);
  if (!url) throw new MalformedError('no http(s) url');
  const claim = cleanText(o.claimReviewed, 2000);
  const title = cleanText(o.name ?? o.headline, 500) || claim.slice(0, 500);
  if (!claim && !title) throw new MalformedError('no claimReviewed or name');
  const rr = list(o.reviewRating)[0];
  let ratingValue: number | null = null;
  let ratingName: string | null = null;
  if (rr !== undefined) {
    if (!isObj(rr)) throw new MalformedError('reviewRating is not an object');
    if (rr.ratingValue != null) {
      const n = Number(rr.ratingValue);
      if (!Number.isFinite(n)) throw new MalformedError('ratingValue is not a number');
      const best = Number(rr.bestRating ?? 5);
      const worst = Number(rr.worstRating ?? 1);
      // kept on our 1-5 scale whatever scale the publisher uses
      ratingValue =
        Number.isFinite(best) && Number.isFinite(worst) && best > worst
          ? Math.max(1, Math.min(5, Math.round(1 + ((n - worst) * 4) / (best - worst))))
          : null;
    }
    ratingName = cleanText(rr.alternateName ?? rr.name, 200) || null;
  }
  const reviewed = list(o.itemReviewed).find(isObj) as Record<string, any> | undefined;
  const appearances = list(reviewed?.appearance ?? reviewed?.firstAppearance)
    .slice(0, 20)
    .filter(isObj)
    .map((a) => ({ url: cleanUrl(a.url, base), description: cleanText(a.description ?? a.name ?? a.headline, 500) }))
    .filter((a) => a.url || a.description);
  const corrections = list(o.correction)
    .slice(0, 50)
    .map((c) =>
      typeof c === 'string'
        ? { text: cleanText(c, 1000), date: null }
        : isObj(c)
          ? { text: cleanText(c.text ?? c.description, 1000), date: cleanDate(c.datePublished)?.toISOString() ?? null }
          : { text: '', date: null },
    )
    .filter((c) => c.text);
  const places = list(o.spatialCoverage).slice(0, 30).map(nameOf).filter(Boolean);
  const author = list(o.author)[0];
  return {
    remoteId: cleanUrl(o['@id'], base) ?? url,
    url,
    claim,
    title,
    summary: cleanText(o.description ?? o.abstract, 4000),
    ratingValue,
    ratingName,
    appearances,
    corrections,
    places,
    authorName: nameOf(author),
    authorUrl: isObj(author) ? cleanUrl(author.url) : null,
    language: cleanText(o.inLanguage, 20) || null,
    datePublished: cleanDate(o.datePublished),
    dateModified: cleanDate(o.dateModified) ?? cleanDate(o.datePublished),
  };
}

export interface ParsedFeed {
  name: string;
  homeUrl: string | null;
  items: ParsedItem[];
  tombstones: ParsedTombstone[];
  nextPage: string | null;
}

/** A schema.org DataFeed of ClaimReview items (ours, or any publisher's); a bare array of ClaimReview also works. */
export function parseDataFeed(doc: unknown, base?: string, maxItems = 1000): ParsedFeed {
  const feed: Record<string, any> = Array.isArray(doc) ? { dataFeedElement: doc } : isObj(doc) ? doc : {};
  if (!Array.isArray(doc) && !isObj(doc)) throw new MalformedError('not a JSON object');
  const elements = list(feed.dataFeedElement);
  if (!Array.isArray(doc) && !typeIs(feed, 'DataFeed') && !elements.length) throw new MalformedError('not a DataFeed');
  if (elements.length > maxItems) throw new MalformedError(`more than ${maxItems} items on one page`);
  const items: ParsedItem[] = [];
  const tombstones: ParsedTombstone[] = [];
  elements.forEach((el, i) => {
    try {
      if (!isObj(el)) throw new MalformedError('not an object');
      const wrapped = typeIs(el, 'DataFeedItem');
      const item = wrapped ? el.item : el;
      if (wrapped && el.dateDeleted != null) {
        const id = isObj(item) ? (cleanUrl(item['@id'], base) ?? cleanUrl(item.url, base)) : null;
        if (!id) throw new MalformedError('deleted item without @id');
        tombstones.push({
          remoteId: id,
          reason: cleanText(el.description, 1000),
          dateDeleted: cleanDate(el.dateDeleted),
        });
        return;
      }
      items.push(parseClaimReview(item, base));
    } catch (e) {
      if (e instanceof MalformedError) throw new MalformedError(`item ${i + 1}: ${e.detail}`);
      throw e;
    }
  });
  const pub = list(feed.publisher ?? feed.provider ?? feed.author)[0];
  return {
    name: nameOf(pub) || cleanText(feed.name, 200),
    homeUrl: isObj(pub) ? cleanUrl(pub.url) : null,
    items,
    tombstones,
    nextPage: typeof feed.nextPage === 'string' ? feed.nextPage.slice(0, 2000) : null,
  };
}

/** Every ClaimReview in an HTML page's JSON-LD blocks (also inside @graph or arrays); bad blocks are skipped. */
export function claimReviewsInHtml(html: string, pageUrl: string): ParsedItem[] {
  const out: ParsedItem[] = [];
  const re = /<script[^>]+type\s*=\s*["']?application\/ld\+json["']?[^>]*>([\s\S]*?)<\/script\s*>/gi;
  for (const m of html.matchAll(re)) {
    let data: unknown;
    try {
      data = JSON.parse(m[1]);
    } catch {
      continue;
    }
    const stack = list(data);
    while (stack.length && out.length < 50) {
      const o = stack.shift();
      if (!isObj(o)) continue;
      if (Array.isArray(o['@graph'])) stack.push(...o['@graph']);
      if (typeIs(o, 'ClaimReview')) {
        try {
          out.push(parseClaimReview({ ...o, url: o.url ?? pageUrl }, pageUrl));
        } catch {
          /* a broken block on someone else's page is skipped, the rest imported */
        }
      }
    }
  }
  return out;
}
