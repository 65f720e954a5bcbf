import type { Db } from '../../db/client.js';

/**
 * The installation's signing key, lent to the platform (which never imports a module) by whoever owns it:
 * bootstrap passes in the crisis centre's statement key. Without one, anchors are recorded unsigned.
 */
export interface AnchorSigner {
  sign(db: Db, text: string): Promise<{ keyId: string; signature: string }>;
  /** Every public key that may have signed an anchor, current first. */
  publicKeys(db: Db): Promise<{ keyId: string; algorithm: string; publicKeyPem: string; status: string }[]>;
}

let current: AnchorSigner | null = null;

export function setAnchorSigner(s: AnchorSigner | null): void {
  current = s;
}

export function anchorSigner(): AnchorSigner | null {
  return current;
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
