import { createPublicKey, verify } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ANCHOR_FEED_FORMAT, type AnchorFeed } from './anchors.js';
import type { ExternalAnchor } from './audit.js';

export class AnchorFeedError extends Error {}

/** Reads a copy of /audit/anchors.json from a file or an http(s) address. */
export async function loadAnchorFeed(source: string): Promise<AnchorFeed> {
  let text: string;
  if (/^https?:\/\//i.test(source)) {
    let res: Response;
    try {
      res = await fetch(source, { signal: AbortSignal.timeout(20_000), headers: { accept: 'application/json' } });
    } catch (err) {
      throw new AnchorFeedError(`cannot fetch ${source}: ${(err as Error).message}`);
    }
    if (!res.ok) throw new AnchorFeedError(`cannot fetch ${source}: HTTP ${res.status}`);
    text = await res.text();
  } else {
    try {
      text = await readFile(source, 'utf8');
    } catch (err) {
      throw new AnchorFeedError(
        `cannot read ${source}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
    }
  }
  let feed: AnchorFeed;
  try {
    feed = JSON.parse(text);
  } catch {
    throw new AnchorFeedError(`${source} is not JSON (a copy of /audit/anchors.json is expected)`);
  }
  if (feed?.format !== ANCHOR_FEED_FORMAT || !Array.isArray(feed.anchors))
    throw new AnchorFeedError(`${source} is not an anchor list (format ${ANCHOR_FEED_FORMAT})`);
  return feed;
}

export interface CheckedFeed {
  anchors: ExternalAnchor[];
  signed: number;
  unsigned: number;
  /** Anchors whose signature does not verify: the copy itself was altered (or signed by an unknown key). */
  badSignatures: string[];
}

const field = (text: string, name: string) => text.match(new RegExp(`^${name}: (.*)$`, 'm'))?.[1];

/**
 * Checks each anchor's Ed25519 signature against the keys in the copy, and takes entry and hash from the
 * signed text itself (what the key vouched for), not from the fields beside it.
 */
export function checkAnchorFeed(feed: AnchorFeed): CheckedFeed {
  const keys = new Map((feed.keys ?? []).map((k) => [k.keyId, k.publicKeyPem]));
  const out: CheckedFeed = { anchors: [], signed: 0, unsigned: 0, badSignatures: [] };
  for (const a of feed.anchors) {
    if (!a.signature || !a.signed) {
      out.unsigned++;
      if (Number.isSafeInteger(Number(a.lastId)) && /^[0-9a-f]{64}$/.test(String(a.hash)))
        out.anchors.push({ id: Number(a.id), at: String(a.at), lastId: Number(a.lastId), hash: String(a.hash) });
      continue;
    }
    const pem = a.keyId ? keys.get(a.keyId) : undefined;
    let ok = false;
    try {
      ok =
        Boolean(pem) &&
        verify(null, Buffer.from(a.signed, 'utf8'), createPublicKey(pem!), Buffer.from(a.signature, 'base64'));
    } catch {
      ok = false;
    }
    const lastId = Number(field(a.signed, 'entry'));
    const hash = field(a.signed, 'hash') ?? '';
    if (!ok || !Number.isSafeInteger(lastId) || !/^[0-9a-f]{64}$/.test(hash)) {
      out.badSignatures.push(
        `anchor #${a.id} (entry ${a.lastId}): ${pem ? 'its signature does not verify' : `signed by key ${a.keyId ?? '?'}, which the copy does not list`}`,
      );
      continue;
    }
    out.signed++;
    out.anchors.push({ id: Number(a.id), at: field(a.signed, 'at') ?? String(a.at), lastId, hash });
  }
  return out;
}
