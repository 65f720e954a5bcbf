/**
 * The sources an admin manages: partner installations (address + pinned key fingerprint) and unsigned ClaimReview
 * publishers (a DataFeed address, or a list of article addresses). Every change is audited.
 */
import { canForInstallation } from '../../../platform/auth/installation.js';
import { AppError } from '../../../platform/errors.js';
import { exchangeText } from '../i18n.js';
import type { Db } from '../../../db/client.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { type Actor as PlatformActor, ForbiddenError, type Principal } from '../../../platform/auth/permissions.js';
import type { OutboundOptions } from '../../../platform/net/outbound.js';
import type { ExchangeKey } from '../i18n.js';
import type { Locale } from '../../../platform/i18n/index.js';
import * as repo from '../repo.js';
import { cleanUrl } from './claimreview.js';
import { withdrawFromMatcher } from './desk-link.js';
import { guardedGet, parseJson, PullProblem } from './fetch.js';
import { fingerprintOf, normalizeFingerprint } from './keys.js';
import { checkSignature } from './pull.js';
import { FEED_PATH } from './publish.js';

/** Bad input or a refused source; `fields` name form fields with catalog keys, `detail` says what the source did. */
export class ExchangeError extends AppError {
  constructor(
    override readonly fields: Record<string, ExchangeKey>,
    readonly detail: string | null = null,
  ) {
    super({ status: 422, key: Object.values(fields)[0] ?? 'error.validation', fields, catalog: exchangeText });
  }

  /** A source's problem is shown with what the source did, e.g. its HTTP status. */
  override fieldMessages(locale: Locale): Record<string, string> {
    const out = super.fieldMessages(locale);
    if (this.detail)
      for (const [field, key] of Object.entries(this.fields))
        if (key.startsWith('problem.')) out[field] = `${out[field]} (${this.detail})`;
    return out;
  }
}

/** Who acts: the platform's staff actor, or null for the command line. */
export type Actor = PlatformActor | null;

async function audit(db: Db, a: Actor, action: string, entityId: number | string, data: Record<string, unknown>) {
  await recordAudit(db, {
    actorId: a?.principal.userId ?? null,
    actorLabel: a?.principal.email ?? 'cli',
    action,
    entityType: 'exchange.source',
    entityId,
    ip: a?.ip ?? null,
    data,
  });
}

/** The exchange speaks for the whole office: only the top unit's administrator manages it. */
export const mayManage = (db: Db, who: Principal | null): Promise<boolean> =>
  canForInstallation(db, who, 'exchange.manage');

async function allowed(db: Db, a: Actor): Promise<void> {
  if (a && !(await mayManage(db, a.principal))) throw new ForbiddenError('exchange.manage');
}

/** An installation's address as typed (its home page or its feed), as we store it: scheme, host, port and path prefix. */
export function partnerBase(input: string): string {
  const url = cleanUrl(input.trim());
  if (!url) throw new ExchangeError({ url: 'err.url' });
  const u = new URL(url);
  const path = u.pathname
    .replace(/\/+$/, '')
    .replace(new RegExp(`${FEED_PATH.replace(/\./g, '\\.')}$`), '')
    .replace(/\/+$/, '');
  return `${u.origin}${path}`;
}

function problemError(e: unknown): never {
  if (e instanceof PullProblem) throw new ExchangeError({ url: `problem.${e.problem}` as ExchangeKey }, e.detail);
  throw e;
}

export interface Inspected {
  base: string;
  fingerprint: string;
  keyId: string;
  publicKeyPem: string;
  name: string;
}

/** Reads a partner's published key and first feed page (which must be signed by that key). */
export async function inspectPartner(outbound: OutboundOptions, url: string): Promise<Inspected> {
  const base = partnerBase(url);
  try {
    const kf = await guardedGet(`${base}/.well-known/caunoi-statements.json`, { outbound, maxBytes: 256 * 1024 });
    if (kf.status !== 200) throw new PullProblem('status', `${kf.url}: HTTP ${kf.status}`);
    const key = parseJson(kf) as { keyId?: unknown; publicKeyPem?: unknown };
    if (typeof key?.keyId !== 'string' || typeof key.publicKeyPem !== 'string')
      throw new PullProblem('malformed', `${kf.url}: no keyId and publicKeyPem`);
    let fingerprint: string;
    try {
      fingerprint = fingerprintOf(key.publicKeyPem);
    } catch {
      throw new PullProblem('malformed', `${kf.url}: the public key cannot be read`);
    }
    const ff = await guardedGet(`${base}${FEED_PATH}?limit=1`, { outbound });
    if (ff.status !== 200) throw new PullProblem('status', `${ff.url}: HTTP ${ff.status}`);
    checkSignature(ff, { keyId: key.keyId, publicKeyPem: key.publicKeyPem });
    const feed = parseJson(ff) as { publisher?: { name?: unknown } };
    const name = typeof feed?.publisher?.name === 'string' ? feed.publisher.name.slice(0, 200) : '';
    return { base, fingerprint, keyId: key.keyId, publicKeyPem: key.publicKeyPem, name };
  } catch (e) {
    problemError(e);
  }
}

export type AddResult =
  | { status: 'needsPin'; inspected: Inspected }
  | { status: 'added' | 'repinned' | 'unchanged'; id: number; inspected: Inspected };

/**
 * Adds a partner, or pins its new key. Without `pin` nothing is stored: the fingerprint is shown for the admin to
 * compare with what the partner's admin reads out from their own page, then confirmed.
 */
export async function addPartner(
  db: Db,
  outbound: OutboundOptions,
  a: Actor,
  url: string,
  pin: string | null,
): Promise<AddResult> {
  await allowed(db, a);
  const inspected = await inspectPartner(outbound, url);
  if (pin == null || pin.trim() === '') return { status: 'needsPin', inspected };
  const wanted = normalizeFingerprint(pin);
  if (!wanted) throw new ExchangeError({ pin: 'err.pinFormat' });
  if (wanted !== inspected.fingerprint) throw new ExchangeError({ pin: 'err.pinMismatch' }, inspected.fingerprint);
  return db.tx(async (tx) => {
    const existing = await repo.getSourceByUrl(tx, inspected.base);
    if (existing) {
      if (existing.kind !== 'partner') throw new ExchangeError({ url: 'err.exists' });
      if (
        existing.fingerprint === inspected.fingerprint &&
        existing.key_id === inspected.keyId &&
        existing.status === 'active'
      )
        return { status: 'unchanged' as const, id: existing.id, inspected };
      await repo.repinSource(tx, existing.id, {
        fingerprint: inspected.fingerprint,
        publicKeyPem: inspected.publicKeyPem,
        keyId: inspected.keyId,
        name: inspected.name,
      });
      await audit(tx, a, 'exchange.partner.repin', existing.id, {
        url: inspected.base,
        fingerprint: inspected.fingerprint,
        previous: existing.fingerprint,
      });
      return { status: 'repinned' as const, id: existing.id, inspected };
    }
    const id = await repo.insertSource(tx, {
      kind: 'partner',
      url: inspected.base,
      name: inspected.name,
      homeUrl: inspected.base,
      pageUrls: [],
      fingerprint: inspected.fingerprint,
      publicKeyPem: inspected.publicKeyPem,
      keyId: inspected.keyId,
      userId: a?.principal.userId ?? null,
    });
    await audit(tx, a, 'exchange.partner.add', id, {
      url: inspected.base,
      fingerprint: inspected.fingerprint,
      name: inspected.name,
    });
    return { status: 'added' as const, id, inspected };
  });
}

/** An unsigned publisher: a DataFeed address, or one or more article addresses (one per line). */
export async function addUnsigned(
  db: Db,
  outbound: OutboundOptions,
  a: Actor,
  input: { kind: 'feed' | 'pages'; url: string; pages: string; name: string },
): Promise<number> {
  await allowed(db, a);
  const name = input.name.trim().slice(0, 200);
  let url: string;
  let pages: string[] = [];
  if (input.kind === 'feed') {
    const u = cleanUrl(input.url.trim());
    if (!u) throw new ExchangeError({ feedUrl: 'err.url' });
    url = u;
  } else {
    const lines = input.pages
      .split(/\s+/)
      .map((l) => l.trim())
      .filter(Boolean);
    pages = [...new Set(lines.map((l) => cleanUrl(l)))].filter((x): x is string => Boolean(x));
    if (!pages.length || pages.length !== new Set(lines).size) throw new ExchangeError({ pages: 'err.pages' });
    if (pages.length > 200) throw new ExchangeError({ pages: 'err.tooManyPages' });
    url = `${pages[0]}#pages`;
  }
  // the address must be reachable under the outbound rules before it is saved
  try {
    await guardedGet(input.kind === 'feed' ? url : pages[0], { outbound, maxBytes: 8 * 1024 * 1024 });
  } catch (e) {
    if (e instanceof PullProblem)
      throw new ExchangeError(
        { [input.kind === 'feed' ? 'feedUrl' : 'pages']: `problem.${e.problem}` as ExchangeKey },
        e.detail,
      );
    throw e;
  }
  return db.tx(async (tx) => {
    if (await repo.getSourceByUrl(tx, url))
      throw new ExchangeError({ [input.kind === 'feed' ? 'feedUrl' : 'pages']: 'err.exists' });
    const id = await repo.insertSource(tx, {
      kind: input.kind,
      url,
      name,
      homeUrl: null,
      pageUrls: pages,
      fingerprint: null,
      publicKeyPem: null,
      keyId: null,
      userId: a?.principal.userId ?? null,
    });
    await audit(tx, a, 'exchange.unsigned.add', id, { kind: input.kind, url, pages: pages.length, name });
    return id;
  });
}

/** Removes a source with everything pulled from it (its items leave the public page and the matcher). */
export async function removeSource(db: Db, a: Actor, id: number): Promise<repo.SourceRow> {
  await allowed(db, a);
  return db.tx(async (tx) => {
    const s = await repo.getSource(tx, id);
    if (!s) throw new ExchangeError({ _form: 'err.unknownSource' });
    await withdrawFromMatcher(tx, id, null);
    await repo.deleteSource(tx, id);
    await audit(tx, a, 'exchange.source.remove', id, { url: s.url, kind: s.kind, items: s.items });
    return s;
  });
}

export async function removeByUrl(db: Db, a: Actor, url: string): Promise<repo.SourceRow> {
  let s = await repo.getSourceByUrl(db, url.trim());
  if (!s) {
    try {
      s = await repo.getSourceByUrl(db, partnerBase(url));
    } catch {
      /* not an address: not found below */
    }
  }
  if (!s) throw new ExchangeError({ url: 'err.unknownSource' });
  return removeSource(db, a, s.id);
}

/** After a refusal an admin has looked into (a tampered page, a bad item fixed at the source): pull it again. */
export async function resumeSource(db: Db, a: Actor, id: number): Promise<void> {
  await allowed(db, a);
  await db.tx(async (tx) => {
    const s = await repo.getSource(tx, id);
    if (!s) throw new ExchangeError({ _form: 'err.unknownSource' });
    // a changed key is never resumed this way: it must be compared and pinned
    if (s.problem === 'keyChanged') throw new ExchangeError({ _form: 'err.repinNeeded' });
    await repo.resumeSource(tx, id);
    await audit(tx, a, 'exchange.source.resume', id, { url: s.url, problem: s.problem });
  });
}

/** Early warning, opt-in per partner and per direction. */
export async function setSharing(db: Db, a: Actor, id: number, share: boolean, receive: boolean): Promise<void> {
  await allowed(db, a);
  await db.tx(async (tx) => {
    const s = await repo.getSource(tx, id);
    if (!s || s.kind !== 'partner') throw new ExchangeError({ _form: 'err.unknownSource' });
    await repo.setSharing(tx, id, share, receive);
    if (!receive) await repo.clearClusters(tx, id);
    await audit(tx, a, 'exchange.partner.sharing', id, { url: s.url, shareClusters: share, receiveClusters: receive });
  });
}

/** A pull asked for by an admin is a staff action: audited (scheduled pulls are not). */
export async function recordManualPull(db: Db, a: Actor, id: number): Promise<void> {
  await allowed(db, a);
  await audit(db, a, 'exchange.source.pull', id, {});
}
