/**
 * Personal short links: signed codes, bot detection and the salted, daily-rotating visit fingerprint. The secret is the
 * installation's 'network.secret' (platform/secrets.ts), read through the app's state.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const sig = (secret: string, itemId: number, userId: number) =>
  createHmac('sha256', secret).update(`s:${itemId}:${userId}`).digest('base64url').slice(0, 10);

/** The code of one member's link to one campaign item: ids in base 36 and a 60-bit signature. */
export function linkCode(secret: string, itemId: number, userId: number): string {
  return `${itemId.toString(36)}-${userId.toString(36)}-${sig(secret, itemId, userId)}`;
}

/** The ids behind a code, or null when the code was altered or made up. */
export function parseLinkCode(secret: string, code: string): { itemId: number; userId: number } | null {
  const m = /^([0-9a-z]{1,10})-([0-9a-z]{1,10})-([\w-]{10})$/.exec(code);
  if (!m) return null;
  const itemId = parseInt(m[1], 36);
  const userId = parseInt(m[2], 36);
  if (!Number.isSafeInteger(itemId) || !Number.isSafeInteger(userId) || itemId <= 0 || userId <= 0) return null;
  const want = Buffer.from(sig(secret, itemId, userId));
  const got = Buffer.from(m[3]);
  return want.length === got.length && timingSafeEqual(want, got) ? { itemId, userId } : null;
}

/** Link-preview fetchers, crawlers and scripts: their visits are not people and are not counted. */
const BOT =
  /bot\b|bot\/|crawl|spider|slurp|facebookexternalhit|facebookcatalog|meta-externalagent|embedly|preview|whatsapp|telegram|discord|skype|linkedin|pinterest|headless|lighthouse|curl\/|wget|python-|go-http-client|java\/|okhttp|axios|node-fetch|undici|libwww|httpclient|scrapy|zalo-?(bot|preview|crawler)/i;

export function isBot(userAgent: string | undefined | null): boolean {
  if (!userAgent || userAgent.length < 10) return true;
  return BOT.test(userAgent);
}

/** How long a repeat visit from the same browser to the same link is ignored. */
export const REPEAT_WINDOW_SECONDS = 30 * 60;

/**
 * A hash of (day, visitor address, browser, link) under the installation secret. The day in the salt
 * means yesterday's hashes cannot be linked to today's; the row itself expires after the repeat window.
 */
export function visitFingerprint(
  secret: string,
  ip: string,
  userAgent: string,
  code: string,
  now = new Date(),
): string {
  const day = now.toISOString().slice(0, 10);
  return createHash('sha256').update(`${secret}|${day}|${ip}|${userAgent}|${code}`).digest('base64url').slice(0, 32);
}

/** A hashed form of an address for rate-limit keys, so no raw address is written. */
export function hashedIp(secret: string, ip: string, now = new Date()): string {
  return createHash('sha256')
    .update(`${secret}|rl|${now.toISOString().slice(0, 10)}|${ip}`)
    .digest('base64url')
    .slice(0, 22);
}

/** Public share pages, opened by the member in a new tab. Nothing is ever posted for them. */
export function shareUrls(url: string, text: string) {
  const u = encodeURIComponent(url);
  return {
    facebook: `https://www.facebook.com/sharer/sharer.php?u=${u}`,
    zalo: `https://sp.zalo.me/share_inline?url=${u}`,
    x: `https://x.com/intent/post?url=${u}&text=${encodeURIComponent(text)}`,
  };
}
