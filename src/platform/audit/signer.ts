import type { Db } from '../../db/client.js';

/**
 * The installation's signing key, lent to the platform (which never imports a module) by whoever owns it:
 * bootstrap builds one per app from the crisis centre's statement key (deps.anchorSigner, handed to the anchor job,
 * the feed and the CLI). Without one, anchors are recorded unsigned.
 */
export interface AnchorSigner {
  sign(db: Db, text: string): Promise<{ keyId: string; signature: string }>;
  /** Every public key that may have signed an anchor, current first. */
  publicKeys(db: Db): Promise<{ keyId: string; algorithm: string; publicKeyPem: string; status: string }[]>;
}

/** The exact text an anchor's signature covers. */
export function anchorText(a: { site: string; lastId: number; hash: string; entries: number; at: string }): string {
  return [
    'cau-noi-audit-anchor/v1',
    `site: ${a.site}`,
    `entry: ${a.lastId}`,
    `hash: ${a.hash}`,
    `entries: ${a.entries}`,
    `at: ${a.at}`,
    '',
  ].join('\n');
}
