/** The crisis centre's rules: who may do what, state transitions, signing, alerts, distribution. */
import type { Db } from '../../db/client.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { assertCan, can, ForbiddenError, type Principal } from '../../platform/auth/permissions.js';
import { formatDateTime, type Locale } from '../../platform/i18n/index.js';
import { enqueue, registerJob } from '../../platform/jobs/queue.js';
import { send, type Message } from '../../platform/notify/notify.js';
import { registerTemplates } from '../../platform/notify/templates.js';
import { publishedItems, type PublishedItem } from '../desk/public.js';
import { membersOfUnits } from '../network/public.js';
import { capReference, type CapAlert, type CapInfo } from './cap.js';
import { crisisText, type CrisisKey } from './i18n.js';
import * as repo from './repo.js';
import { canonicalForm, hashText, newKeyPair, normalizeCode, normalizeText, signCanonical, textHashes, verificationCode, verifyCanonical, type KeyPair } from './signing.js';
import { invalidateHomePage } from '../../http/routes/home.js';

export interface Actor {
  principal: Principal;
  ip?: string | null;
}

export interface SiteInfo {
  baseUrl: string;
  orgName: string;
}

/** A rule broken by the input: field -> message key, shown beside the field with status 422. */
export class CrisisFormError extends Error {
  constructor(public readonly fields: Record<string, CrisisKey>) {
    super('crisis form error');
  }
}

export class NotFoundError extends Error {}

const label = (p: Principal) => p.email;

// ---------- signing keys ----------

export interface PublicKeyInfo {
  keyId: string;
  algorithm: 'Ed25519';
  publicKeyPem: string;
  createdAt: string;
  validFrom: string;
  /** When the key was retired (it signs nothing after this); null for the current key. */
  validUntil: string | null;
  status: 'current' | 'retired' | 'compromised';
  /** Statements signed at or after this time are not to be trusted. */
  compromisedSince: string | null;
}

const iso = (d: Date | string | null) => (d == null ? null : new Date(d).toISOString());

export function publicKeyInfo(k: repo.SigningKeyRow): PublicKeyInfo {
  return {
    keyId: k.key_id,
    algorithm: 'Ed25519',
    publicKeyPem: k.public_key_pem,
    createdAt: iso(k.created_at)!,
    validFrom: iso(k.valid_from)!,
    validUntil: iso(k.retired_at),
    status: k.retired_at == null ? 'current' : k.compromised_since ? 'compromised' : 'retired',
    compromisedSince: iso(k.compromised_since),
  };
}

/**
 * The current Ed25519 key pair, made on first use; the private key never leaves the server. Read inside the
 * release transaction under the shared key lock, so a rotation never lands between reading the key and signing.
 */
export async function signingKey(db: Db): Promise<KeyPair & { validFrom: Date }> {
  let k = await repo.currentSigningKey(db);
  if (!k) {
    const fresh = newKeyPair();
    await repo.insertFirstSigningKey(db, { keyId: fresh.keyId, publicKeyPem: fresh.publicKeyPem, privateKeyPem: fresh.privateKeyPem, at: new Date(fresh.createdAt) });
    k = (await repo.currentSigningKey(db))!;
  }
  return { keyId: k.key_id, publicKeyPem: k.public_key_pem, privateKeyPem: k.private_key_pem, createdAt: iso(k.created_at)!, validFrom: new Date(k.valid_from) };
}

/** Every key with its validity period, the current one first (made on first use). */
export async function publicKeys(db: Db): Promise<PublicKeyInfo[]> {
  let keys = await repo.listSigningKeys(db);
  if (!keys.some((k) => k.retired_at == null)) {
    await signingKey(db);
    keys = await repo.listSigningKeys(db);
  }
  return keys.map(publicKeyInfo);
}

/** The current public key (what `/.well-known/caunoi-statements.pub` serves). */
export async function publicKey(db: Db): Promise<PublicKeyInfo> {
  return (await publicKeys(db))[0];
}

/** Rotating the key is the top unit's administrator's call: the key speaks for the whole office. */
export async function mayManageKeys(db: Db, p: Principal | null): Promise<boolean> {
  if (!p) return false;
  const root = await repo.rootUnit(db);
  return root ? can(p, 'crisis.keys', root.path) : false;
}

export interface RotateInput {
  reason: string;
  /** The retired key is known or suspected to be leaked since this time (null: retired in good order). */
  compromisedSince: Date | null;
}

export interface RotateResult {
  retired: PublicKeyInfo;
  current: PublicKeyInfo;
  /** Released statements signed with the retired key at or after `compromisedSince`: they now show a warning. */
  flagged: number;
}

/**
 * Retires the current key and makes a new one, in one transaction: statements released from then on are signed
 * with the new key; everything signed before keeps verifying with the old one. `principal` null is the CLI.
 */
export async function rotateSigningKey(db: Db, principal: Principal | null, input: RotateInput, ip: string | null = null): Promise<RotateResult> {
  if (principal && !(await mayManageKeys(db, principal))) throw new ForbiddenError('crisis.keys');
  const reason = input.reason.trim();
  if (reason.length < 3) throw new CrisisFormError({ reason: 'keys.reasonRequired' });
  if (reason.length > 500) throw new CrisisFormError({ reason: 'keys.reasonTooLong' });
  await signingKey(db); // there is always a key to retire
  const fresh = newKeyPair();
  const r = await db.tx(async (tx) => {
    await repo.lockKeysExclusive(tx);
    const old = (await repo.currentSigningKey(tx))!;
    // a retirement never predates what the key already signed (clocks of several servers may differ a little)
    const last = await repo.lastSignedAt(tx, old.key_id);
    let at = new Date();
    if (last && new Date(last).getTime() >= at.getTime()) at = new Date(new Date(last).getTime() + 1);
    if (at.getTime() < new Date(old.valid_from).getTime()) at = new Date(old.valid_from);
    if (input.compromisedSince) {
      if (input.compromisedSince.getTime() > at.getTime()) throw new CrisisFormError({ compromisedSince: 'keys.sinceFuture' });
    }
    const compromisedSince = input.compromisedSince && input.compromisedSince < new Date(old.valid_from) ? new Date(old.valid_from) : input.compromisedSince;
    await repo.retireSigningKey(tx, old.id, { at, reason, compromisedSince, userId: principal?.userId ?? null });
    const newId = await repo.insertSigningKey(tx, { keyId: fresh.keyId, publicKeyPem: fresh.publicKeyPem, privateKeyPem: fresh.privateKeyPem, at, userId: principal?.userId ?? null });
    const flagged = compromisedSince ? await repo.countSignedWith(tx, old.key_id, compromisedSince) : 0;
    await recordAudit(tx, {
      actorId: principal?.userId ?? null, actorLabel: principal ? label(principal) : 'cli', action: 'crisis.key.rotate', entityType: 'crisis.signing_key', entityId: newId, ip,
      data: { retiredKeyId: old.key_id, newKeyId: fresh.keyId, reason, compromisedSince: iso(compromisedSince), flagged },
    });
    return { oldKeyId: old.key_id, flagged };
  });
  forgetKeys(db);
  const retired = await repo.signingKeyById(db, r.oldKeyId);
  const current = await repo.signingKeyById(db, fresh.keyId);
  listCacheVersion++;
  return { retired: publicKeyInfo(retired!), current: publicKeyInfo(current!), flagged: r.flagged };
}

/**
 * A key already retired turns out to have leaked (found after a routine rotation): statements it signed since
 * `since` show the warning from now on. The current key is not marked this way: rotate it with the leak time.
 */
export async function markKeyCompromised(db: Db, principal: Principal | null, input: { keyId: string; since: Date; reason: string }, ip: string | null = null): Promise<{ key: PublicKeyInfo; flagged: number }> {
  if (principal && !(await mayManageKeys(db, principal))) throw new ForbiddenError('crisis.keys');
  const reason = input.reason.trim();
  const row = await repo.signingKeyById(db, input.keyId);
  if (!row) throw new CrisisFormError({ leakKey: 'keys.unknownKey' });
  if (row.retired_at == null) throw new CrisisFormError({ leakKey: 'keys.currentKey' });
  if (reason.length < 3) throw new CrisisFormError({ leakReason: 'keys.reasonRequired' });
  if (reason.length > 500) throw new CrisisFormError({ leakReason: 'keys.reasonTooLong' });
  if (input.since.getTime() > Date.now()) throw new CrisisFormError({ leakSince: 'keys.sinceFuture' });
  const since = input.since < new Date(row.valid_from) ? new Date(row.valid_from) : input.since;
  const flagged = await db.tx(async (tx) => {
    await repo.lockKeysExclusive(tx);
    await repo.markKeyCompromised(tx, row.id, since, reason);
    const k = (await repo.signingKeyById(tx, row.key_id))!;
    const n = await repo.countSignedWith(tx, row.key_id, k.compromised_since);
    await recordAudit(tx, {
      actorId: principal?.userId ?? null, actorLabel: principal ? label(principal) : 'cli', action: 'crisis.key.compromise', entityType: 'crisis.signing_key', entityId: row.id, ip,
      data: { keyId: row.key_id, compromisedSince: iso(k.compromised_since), reason, flagged: n },
    });
    return n;
  });
  forgetKeys(db);
  return { key: publicKeyInfo((await repo.signingKeyById(db, row.key_id))!), flagged };
}

// ---------- permissions ----------

async function incidentOrThrow(db: Db, id: number): Promise<repo.IncidentRow> {
  const i = await repo.getIncident(db, id);
  if (!i) throw new NotFoundError();
  return i;
}

export async function mayDraft(db: Db, p: Principal | null, incident: repo.IncidentRow | null, unitPath: string): Promise<boolean> {
  if (!p) return false;
  if (can(p, 'crisis.draft', incident?.unit_path ?? unitPath)) return true;
  return incident ? (await repo.teamRole(db, incident.id, p.userId)) !== null : false;
}

export async function mayApprove(db: Db, p: Principal | null, incident: repo.IncidentRow | null, unitPath: string): Promise<boolean> {
  if (!p) return false;
  if (can(p, 'crisis.approve', incident?.unit_path ?? unitPath)) return true;
  return incident ? (await repo.teamRole(db, incident.id, p.userId)) === 'spokesperson' : false;
}

export async function mayView(db: Db, p: Principal | null, incident: repo.IncidentRow | null): Promise<boolean> {
  if (!p) return false;
  if (can(p, 'crisis.view', incident?.unit_path) || can(p, 'crisis.draft', incident?.unit_path)) return true;
  return incident ? (await repo.teamRole(db, incident.id, p.userId)) !== null : false;
}

export async function assertView(db: Db, p: Principal | null, incident: repo.IncidentRow | null): Promise<void> {
  if (!(await mayView(db, p, incident))) throw new ForbiddenError('crisis.view');
}

// ---------- page cache (public incident pages) ----------

interface CacheEntry {
  version: number;
  etag: string;
  body: string;
  checkedAt: number;
}
const pageCache = new Map<string, CacheEntry>();
const CHECK_MS = 1000;

/** Drops the cached public pages of an incident, and the home page's banner: called right after a change commits. */
export function invalidateIncident(id: number): void {
  for (const k of pageCache.keys()) if (k.startsWith(`${id}:`)) pageCache.delete(k);
  listCacheVersion++;
  invalidateHomePage();
}
let listCacheVersion = 0;

/**
 * The cached page for an incident in a locale, re-checking the stored version at most once a second
 * (other processes' changes); changes in this process invalidate at once.
 */
export async function cachedIncidentPage(db: Db, id: number, locale: Locale, render: (version: number) => Promise<string | null>): Promise<CacheEntry | null> {
  const key = `${id}:${locale}`;
  const hit = pageCache.get(key);
  const now = Date.now();
  if (hit && now - hit.checkedAt < CHECK_MS) return hit;
  const version = await repo.incidentVersion(db, id);
  if (version === null) return null;
  if (hit && hit.version === version) {
    hit.checkedAt = now;
    return hit;
  }
  const body = await render(version);
  if (body === null) return null;
  const entry = { version, etag: `W/"inc-${id}-v${version}-${locale}"`, body, checkedAt: now };
  pageCache.set(key, entry);
  return entry;
}

export const currentListVersion = () => listCacheVersion;

/** The incident's current version for the page script: from a fresh cache entry, else one cheap query. */
export async function incidentVersionNow(db: Db, id: number, locale: Locale): Promise<number | null> {
  const hit = pageCache.get(`${id}:${locale}`);
  if (hit && Date.now() - hit.checkedAt < CHECK_MS) return hit.version;
  return repo.incidentVersion(db, id);
}

// ---------- incidents ----------

export interface IncidentInput extends repo.IncidentFields {
  unitIds: number[];
}

async function event(db: Db, e: Parameters<typeof repo.insertEvent>[1]) {
  await repo.insertEvent(db, e);
}

export async function openIncident(db: Db, a: Actor, input: IncidentInput): Promise<number> {
  const unit = await repo.unitById(db, input.unitId);
  if (!unit) throw new CrisisFormError({ unitId: 'err.unitsRequired' });
  assertCan(a.principal, 'crisis.manage', unit.path);
  const id = await db.tx(async (tx) => {
    const id = await repo.insertIncident(tx, input, a.principal.userId);
    await repo.setIncidentUnits(tx, id, input.unitIds);
    await event(tx, { incidentId: id, kind: 'opened', public: true, actorLabel: label(a.principal), data: { title: input.title } });
    await recordAudit(tx, { actorId: a.principal.userId, actorLabel: label(a.principal), action: 'crisis.incident.open', entityType: 'crisis.incident', entityId: id, unitId: input.unitId, ip: a.ip, data: { title: input.title, severity: input.severity, type: input.type } });
    return id;
  });
  invalidateIncident(id);
  return id;
}

export async function updateIncident(db: Db, a: Actor, id: number, input: IncidentInput): Promise<void> {
  const before = await incidentOrThrow(db, id);
  assertCan(a.principal, 'crisis.manage', before.unit_path);
  const unit = await repo.unitById(db, input.unitId);
  if (!unit) throw new CrisisFormError({ unitId: 'err.unitsRequired' });
  assertCan(a.principal, 'crisis.manage', unit.path);
  await db.tx(async (tx) => {
    await repo.updateIncident(tx, id, input);
    await repo.setIncidentUnits(tx, id, input.unitIds);
    const changed = (Object.keys(input) as (keyof IncidentInput)[]).filter((k) => k !== 'unitIds' && String(input[k] ?? '') !== String((before as unknown as Record<string, unknown>)[snake(k)] ?? ''));
    await event(tx, { incidentId: id, kind: 'updated', public: false, actorLabel: label(a.principal), data: { changed: changed.join(', ') } });
    await recordAudit(tx, { actorId: a.principal.userId, actorLabel: label(a.principal), action: 'crisis.incident.update', entityType: 'crisis.incident', entityId: id, unitId: input.unitId, ip: a.ip, data: { changed } });
  });
  invalidateIncident(id);
}

const snake = (k: string) => k.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`);

export async function changeStatus(db: Db, a: Actor, id: number, status: repo.IncidentStatus, site: SiteInfo): Promise<void> {
  const inc = await incidentOrThrow(db, id);
  assertCan(a.principal, 'crisis.manage', inc.unit_path);
  if (inc.status === status) return;
  await db.tx(async (tx) => {
    await repo.setIncidentStatus(tx, id, status);
    await event(tx, { incidentId: id, kind: status === 'closed' ? 'closed' : 'status', public: true, actorLabel: label(a.principal), data: { status } });
    if (status === 'closed' && inc.public_alert) await produceAlert(tx, inc, null, 'Cancel', site);
    await recordAudit(tx, { actorId: a.principal.userId, actorLabel: label(a.principal), action: status === 'closed' ? 'crisis.incident.close' : 'crisis.incident.status', entityType: 'crisis.incident', entityId: id, unitId: inc.unit_id, ip: a.ip, data: { from: inc.status, to: status } });
  });
  invalidateIncident(id);
}

export async function addTeamMember(db: Db, a: Actor, id: number, email: string, role: 'drafter' | 'spokesperson'): Promise<void> {
  const inc = await incidentOrThrow(db, id);
  assertCan(a.principal, 'crisis.manage', inc.unit_path);
  const user = await repo.userByEmail(db, email);
  if (!user) throw new CrisisFormError({ email: 'staff.teamUnknown' });
  await db.tx(async (tx) => {
    await repo.upsertTeamMember(tx, id, user.id, role);
    await event(tx, { incidentId: id, kind: 'teamAdded', public: false, actorLabel: label(a.principal), data: { name: user.name, role } });
    await recordAudit(tx, { actorId: a.principal.userId, actorLabel: label(a.principal), action: 'crisis.team.add', entityType: 'crisis.incident', entityId: id, unitId: inc.unit_id, ip: a.ip, data: { userId: user.id, role } });
  });
}

export async function linkFactcheck(db: Db, a: Actor, id: number, itemId: number): Promise<void> {
  const inc = await incidentOrThrow(db, id);
  if (!(await mayDraft(db, a.principal, inc, inc.unit_path))) throw new ForbiddenError('crisis.draft');
  const items = await publishedItems(db, [itemId]);
  if (items.length === 0) throw new CrisisFormError({ itemId: 'staff.factcheckUnknown' });
  await db.tx(async (tx) => {
    await repo.linkFactcheck(tx, id, itemId);
    await repo.bumpVersion(tx, id);
    await event(tx, { incidentId: id, kind: 'factcheckLinked', public: true, actorLabel: label(a.principal), data: { itemId, title: items[0].title } });
    await recordAudit(tx, { actorId: a.principal.userId, actorLabel: label(a.principal), action: 'crisis.factcheck.link', entityType: 'crisis.incident', entityId: id, unitId: inc.unit_id, ip: a.ip, data: { itemId } });
  });
  invalidateIncident(id);
}

/** Linked fact-checks as the desk publishes them; an empty or failing desk leaves the list empty. */
export async function knownFalse(db: Db, incidentId: number): Promise<PublishedItem[]> {
  const ids = await repo.factcheckIds(db, incidentId);
  if (ids.length === 0) return [];
  try {
    return await publishedItems(db, ids);
  } catch {
    return [];
  }
}

// ---------- statements ----------

export interface StatementInput {
  incidentId: number | null;
  unitId: number;
  kind: repo.StatementKind;
  refersTo: number | null;
  title: string;
  titleEn: string | null;
  body: string;
  bodyEn: string | null;
  listIds: number[];
}

async function checkStatementInput(db: Db, input: StatementInput): Promise<{ incident: repo.IncidentRow | null; unitPath: string }> {
  const incident = input.incidentId ? await incidentOrThrow(db, input.incidentId) : null;
  if (incident && incident.status === 'closed') throw new CrisisFormError({ _form: 'err.closedIncident' });
  const unit = incident ? { path: incident.unit_path } : await repo.unitById(db, input.unitId);
  if (!unit) throw new CrisisFormError({ unitId: 'err.unitsRequired' });
  if (input.kind !== 'notice' && !input.refersTo) throw new CrisisFormError({ refersTo: 'err.refersRequired' });
  if (input.refersTo) {
    const ref = await repo.getStatement(db, input.refersTo);
    if (!ref || ref.status !== 'released') throw new CrisisFormError({ refersTo: 'err.refersInvalid' });
  }
  return { incident, unitPath: unit.path };
}

export async function draftStatement(db: Db, a: Actor, input: StatementInput): Promise<number> {
  const { incident, unitPath } = await checkStatementInput(db, input);
  if (!(await mayDraft(db, a.principal, incident, unitPath))) throw new ForbiddenError('crisis.draft');
  const unitId = incident ? incident.unit_id : input.unitId;
  return db.tx(async (tx) => {
    const id = await repo.insertStatement(tx, { ...input, unitId }, a.principal.userId);
    await repo.setStatementLists(tx, id, input.listIds);
    await event(tx, { incidentId: input.incidentId, statementId: id, kind: 'drafted', public: false, actorLabel: label(a.principal), data: { title: input.title } });
    await recordAudit(tx, { actorId: a.principal.userId, actorLabel: label(a.principal), action: 'crisis.statement.draft', entityType: 'crisis.statement', entityId: id, unitId, ip: a.ip, data: { incidentId: input.incidentId, kind: input.kind } });
    return id;
  });
}

export async function editDraft(db: Db, a: Actor, id: number, input: Omit<StatementInput, 'incidentId'>): Promise<void> {
  const s = await repo.getStatement(db, id);
  if (!s) throw new NotFoundError();
  const full = { ...input, incidentId: s.incident_id };
  const { incident, unitPath } = await checkStatementInput(db, full);
  if (!(await mayDraft(db, a.principal, incident, unitPath))) throw new ForbiddenError('crisis.draft');
  if (s.status !== 'draft') throw new CrisisFormError({ _form: 'err.notEditable' });
  await db.tx(async (tx) => {
    if (!(await repo.updateDraft(tx, id, { ...full, unitId: incident ? incident.unit_id : input.unitId }))) throw new CrisisFormError({ _form: 'err.notEditable' });
    await repo.setStatementLists(tx, id, input.listIds);
    await recordAudit(tx, { actorId: a.principal.userId, actorLabel: label(a.principal), action: 'crisis.statement.edit', entityType: 'crisis.statement', entityId: id, unitId: s.unit_id, ip: a.ip, data: { title: input.title } });
  });
}

async function statementContext(db: Db, id: number) {
  const s = await repo.getStatement(db, id);
  if (!s) throw new NotFoundError();
  const incident = s.incident_id ? await incidentOrThrow(db, s.incident_id) : null;
  return { s, incident };
}

export async function submitStatement(db: Db, a: Actor, id: number): Promise<void> {
  const { s, incident } = await statementContext(db, id);
  if (!(await mayDraft(db, a.principal, incident, s.unit_path))) throw new ForbiddenError('crisis.draft');
  await db.tx(async (tx) => {
    if (!(await repo.setStatementStatus(tx, id, 'draft', 'submitted'))) throw new CrisisFormError({ _form: 'err.notEditable' });
    await event(tx, { incidentId: s.incident_id, statementId: id, kind: 'submitted', public: false, actorLabel: label(a.principal) });
    await recordAudit(tx, { actorId: a.principal.userId, actorLabel: label(a.principal), action: 'crisis.statement.submit', entityType: 'crisis.statement', entityId: id, unitId: s.unit_id, ip: a.ip });
  });
}

export async function returnStatement(db: Db, a: Actor, id: number, note: string): Promise<void> {
  const { s, incident } = await statementContext(db, id);
  if (!(await mayApprove(db, a.principal, incident, s.unit_path))) throw new ForbiddenError('crisis.approve');
  await db.tx(async (tx) => {
    if (!(await repo.setStatementStatus(tx, id, 'submitted', 'draft', note || null))) throw new CrisisFormError({ _form: 'err.notSubmitted' });
    await event(tx, { incidentId: s.incident_id, statementId: id, kind: 'returned', public: false, actorLabel: label(a.principal), data: { note } });
    await recordAudit(tx, { actorId: a.principal.userId, actorLabel: label(a.principal), action: 'crisis.statement.return', entityType: 'crisis.statement', entityId: id, unitId: s.unit_id, ip: a.ip, data: { note } });
  });
}

export function statementUrl(site: SiteInfo, number: string): string {
  return `${site.baseUrl}/statements/${encodeURIComponent(number)}`;
}

export function verifyUrl(site: SiteInfo, code?: string): string {
  return `${site.baseUrl}/verify${code ? `?code=${encodeURIComponent(code)}` : ''}`;
}

/** The text a resident shares: title, body and the footer that lets anyone verify it. */
export function shareText(s: { title: string; title_en: string | null; body: string; body_en: string | null; number: string; code: string; released_at: Date }, site: SiteInfo, locale: Locale): string {
  const t = crisisText.t(locale);
  const en = locale === 'en' && s.body_en;
  const title = en ? s.title_en || s.title : s.title;
  const body = en ? s.body_en! : s.body;
  return `${title}\n\n${body}\n\n${t('stmt.number')} ${s.number} — ${formatDateTime(locale, s.released_at)}\n${t('stmt.code')}: ${s.code}\n${verifyUrl(site, s.code)}`;
}

export interface ReleaseResult {
  id: number;
  number: string;
  code: string;
  replayed: boolean;
}

/**
 * Approves and releases a submitted statement: numbers it, signs its canonical form, produces the
 * CAP alert and queues its distribution, all in one transaction. A second call (double click, retry)
 * finds it released and changes nothing.
 */
export async function releaseStatement(db: Db, a: Actor, id: number, site: SiteInfo): Promise<ReleaseResult> {
  const { s, incident } = await statementContext(db, id);
  if (!(await mayApprove(db, a.principal, incident, s.unit_path))) throw new ForbiddenError('crisis.approve');
  const result = await db.tx(async (tx): Promise<ReleaseResult> => {
    const locked = await repo.getStatementForUpdate(tx, id);
    if (!locked) throw new NotFoundError();
    if (locked.status === 'released') {
      const done = (await repo.getStatement(tx, id))!;
      return { id, number: done.number!, code: done.code!, replayed: true };
    }
    if (locked.status !== 'submitted') throw new CrisisFormError({ _form: 'err.notSubmitted' });
    if (s.drafted_by === a.principal.userId) throw new CrisisFormError({ _form: 'err.ownApproval' });
    if (incident) {
      const fresh = await repo.getIncident(tx, incident.id);
      if (fresh?.status === 'closed') throw new CrisisFormError({ _form: 'err.closedIncident' });
    }
    // the current key, held against a rotation until this transaction ends
    await repo.lockKeysShared(tx);
    const key = await signingKey(tx);
    const releasedAt = new Date(Math.max(Date.now(), key.validFrom.getTime()));
    const year = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(releasedAt));
    const seq = await repo.nextSeq(tx, year);
    const number = `${year}-${String(seq).padStart(3, '0')}`;
    const canonical = canonicalForm({ number, releasedAt: releasedAt.toISOString(), title: s.title, titleEn: s.title_en, body: s.body, bodyEn: s.body_en, incidentId: s.incident_id });
    const signature = signCanonical(key.privateKeyPem, canonical);
    let code = verificationCode(signature);
    for (let salt = 1; await repo.codeTaken(tx, code); salt++) code = verificationCode(signature, salt);
    const released = { ...s, number, code, released_at: releasedAt };
    const hashes = [
      ...textHashes({ title: s.title, titleEn: s.title_en, body: s.body, bodyEn: s.body_en }),
      hashText(shareText(released, site, 'vi')),
      ...(s.body_en ? [hashText(shareText(released, site, 'en'))] : []),
    ];
    if (!(await repo.markReleased(tx, id, { seq, number, releasedAt, approvedBy: a.principal.userId, code, signature, keyId: key.keyId, hashes }))) {
      throw new CrisisFormError({ _form: 'err.notSubmitted' });
    }
    if (incident) {
      await repo.bumpVersion(tx, incident.id);
      if (incident.public_alert) await produceAlert(tx, incident, { ...released, id }, null, site);
    }
    await event(tx, { incidentId: s.incident_id, statementId: id, kind: 'released', public: true, actorLabel: label(a.principal), data: { number, code, title: s.title } });
    await enqueue(tx, DISTRIBUTE_JOB, { statementId: id }, { uniqueKey: `${DISTRIBUTE_JOB}:${id}` });
    await recordAudit(tx, { actorId: a.principal.userId, actorLabel: label(a.principal), action: 'crisis.statement.release', entityType: 'crisis.statement', entityId: id, unitId: s.unit_id, ip: a.ip, data: { number, code, keyId: key.keyId } });
    return { id, number, code, replayed: false };
  });
  if (incident) invalidateIncident(incident.id);
  else listCacheVersion++;
  return result;
}

// ---------- verification ----------

/**
 * Keys change only by rotation or a leak mark: verification reads them from a per-process copy at most a second
 * old (changes in this process drop it at once; a CLI on PostgreSQL is seen within a second). Signing never uses it.
 */
const KEYS_TTL_MS = 1000;
const keysCache = new WeakMap<Db, { at: number; byId: Map<string, repo.SigningKeyRow> }>();

async function keyForCheck(db: Db, keyId: string): Promise<repo.SigningKeyRow | null> {
  let c = keysCache.get(db);
  if (!c || Date.now() - c.at > KEYS_TTL_MS || !c.byId.has(keyId)) {
    c = { at: Date.now(), byId: new Map((await repo.listSigningKeys(db)).map((k) => [k.key_id, k])) };
    keysCache.set(db, c);
  }
  return c.byId.get(keyId) ?? null;
}

/** Drops this process's copy of the keys (after a rotation or a leak mark; benchmarks). */
export function forgetKeys(db: Db): void {
  keysCache.delete(db);
}

export type SignatureStatus = 'valid' | 'bad' | 'unknown-key' | 'key-retired' | 'key-not-yet-valid' | 'compromised';

/** What the signature of a released statement says, and about which key. */
export interface SignatureCheck {
  status: SignatureStatus;
  key: PublicKeyInfo | null;
}

export type VerifyOutcome =
  | { kind: 'genuine'; via: 'code' | 'text'; statement: repo.StatementRow; signatureValid: boolean; signature: SignatureCheck; later: repo.StatementRow[] }
  | { kind: 'not-issued'; via: 'code' }
  | { kind: 'no-match'; via: 'text'; closest: repo.StatementRow | null };

/**
 * Checks a statement against the key it names: the key must exist, have been valid at the statement's release
 * time (from valid_from up to, not including, its retirement), and the signature must match. A key leaked since
 * some time makes what it signed from then on `compromised`: the signature matches, but it proves nothing.
 */
export async function checkSignature(db: Db, s: repo.StatementRow): Promise<SignatureCheck> {
  if (!s.signature || !s.number || !s.released_at || !s.key_id) return { status: 'bad', key: null };
  const row = await keyForCheck(db, s.key_id);
  if (!row) return { status: 'unknown-key', key: null };
  const key = publicKeyInfo(row);
  const at = new Date(s.released_at).getTime();
  if (at < new Date(row.valid_from).getTime()) return { status: 'key-not-yet-valid', key };
  if (row.retired_at && at >= new Date(row.retired_at).getTime()) return { status: 'key-retired', key };
  const canonical = canonicalForm({ number: s.number, releasedAt: new Date(s.released_at).toISOString(), title: s.title, titleEn: s.title_en, body: s.body, bodyEn: s.body_en, incidentId: s.incident_id });
  if (!verifyCanonical(row.public_key_pem, canonical, s.signature)) return { status: 'bad', key };
  if (row.compromised_since && at >= new Date(row.compromised_since).getTime()) return { status: 'compromised', key };
  return { status: 'valid', key };
}

export async function signatureValid(db: Db, s: repo.StatementRow): Promise<boolean> {
  return (await checkSignature(db, s)).status === 'valid';
}

async function genuineOutcome(db: Db, via: 'code' | 'text', s: repo.StatementRow, signature: SignatureCheck): Promise<VerifyOutcome> {
  return { kind: 'genuine', via, statement: s, signatureValid: signature.status === 'valid', signature, later: await repo.laterStatements(db, s.id) };
}

export async function verifyByCode(db: Db, input: string): Promise<VerifyOutcome | null> {
  const code = normalizeCode(input);
  if (!code) return null;
  const s = await repo.statementByCode(db, code);
  if (!s) return { kind: 'not-issued', via: 'code' };
  return genuineOutcome(db, 'code', s, await checkSignature(db, s));
}

export const MIN_TEXT = 20;

export async function verifyByText(db: Db, text: string): Promise<VerifyOutcome> {
  const norm = normalizeText(text);
  const s = await repo.statementByTextHash(db, hashText(norm));
  if (s) {
    const check = await checkSignature(db, s);
    // the stored text itself must still carry a matching signature: a row edited behind our back never verifies;
    // a matching text signed with a key retired or leaked at the time says so instead of "genuine"
    if (check.status !== 'bad') return genuineOutcome(db, 'text', s, check);
  }
  const codeInText = /\b([A-Z2-9]{4}-[A-Z2-9]{4})\b/i.exec(norm)?.[1];
  let closest = codeInText ? ((await repo.statementByCode(db, codeInText.toUpperCase())) ?? null) : null;
  if (!closest) {
    const c = await repo.closestStatement(db, norm);
    closest = c && c.sim >= 0.3 ? c : null;
  }
  return { kind: 'no-match', via: 'text', closest };
}

// ---------- CAP alerts ----------

const CATEGORY: Record<repo.IncidentType, string> = { natural: 'Met', public_order: 'Security', health: 'Health', infrastructure: 'Infra', other: 'Other' };
const SEVERITY: Record<repo.Severity, CapInfo['severity']> = { minor: 'Minor', moderate: 'Moderate', severe: 'Severe', extreme: 'Extreme' };

function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host.replace(/[^A-Za-z0-9.-]/g, '-');
  } catch {
    return 'localhost';
  }
}

export interface AlertData {
  sender: string;
  note?: string;
  incidents: string;
  info: CapInfo[];
  area: CapAlert['area'];
}

async function produceAlert(
  tx: Db,
  incident: repo.IncidentRow,
  statement: (repo.StatementRow & { number: string }) | null,
  forced: 'Cancel' | null,
  site: SiteInfo,
): Promise<void> {
  const previous = await repo.alertsOfIncident(tx, incident.id);
  const live = previous.filter((p) => p.msg_type !== 'Cancel');
  const msgType = forced ?? (live.length === 0 ? 'Alert' : 'Update');
  if (msgType === 'Cancel' && live.length === 0) return;
  const host = hostOf(site.baseUrl);
  const sender = `caunoi@${host}`;
  const identifier = `caunoi.${host}.incident-${incident.id}.${previous.length + 1}`;
  const units = await repo.incidentUnits(tx, incident.id);
  const sentAt = new Date();
  const refs = msgType === 'Alert' ? '' : live.map((p) => capReference({ sender: (p.data as unknown as AlertData).sender, identifier: p.identifier, sent: new Date(p.sent_at) })).join(' ');
  const web = `${site.baseUrl}/incidents/${incident.id}`;
  const contact = [incident.spokesperson_name, incident.spokesperson_phone, incident.spokesperson_email].filter(Boolean).join(', ');
  const info = (['vi', 'en'] as const).map((lang): CapInfo => {
    const t = crisisText.t(lang);
    const en = lang === 'en';
    const title = en ? statement?.title_en || incident.title_en || statement?.title || incident.title : statement?.title ?? incident.title;
    const body = en ? statement?.body_en || incident.summary_en || statement?.body || incident.summary : statement?.body ?? incident.summary;
    return {
      language: en ? 'en-US' : 'vi-VN',
      category: CATEGORY[incident.type],
      event: t(`type.${incident.type}`),
      urgency: msgType === 'Cancel' ? 'Past' : incident.severity === 'extreme' || incident.severity === 'severe' ? 'Immediate' : 'Expected',
      severity: SEVERITY[incident.severity],
      certainty: 'Observed',
      senderName: site.orgName,
      headline: msgType === 'Cancel' ? `${t('status.closed')}: ${en ? incident.title_en || incident.title : incident.title}` : title,
      description: (msgType === 'Cancel' ? (en ? incident.summary_en || incident.summary : incident.summary) || t('event.closed') : body) + (statement ? `\n\n${t('stmt.number')} ${statement.number} — ${t('stmt.code')}: ${statement.code}` : ''),
      web,
      contact,
    };
  });
  const data: AlertData = {
    sender,
    incidents: `incident-${incident.id}`,
    info,
    area: {
      areaDesc: units.map((u) => u.full_name).join('; ') || incident.unit_name,
      polygon: incident.area_polygon,
      circle: incident.area_circle,
      geocodes: (units.length ? units : [{ code: '' }]).filter((u) => u.code).map((u) => ({ valueName: 'VN-ADMIN-2025', value: u.code })),
    },
  };
  await repo.insertAlert(tx, { incidentId: incident.id, statementId: statement?.id ?? null, identifier, msgType, refs, sentAt, data });
}

export function capOf(a: repo.AlertRow): CapAlert {
  const d = a.data as unknown as AlertData;
  return { identifier: a.identifier, sender: d.sender, sent: new Date(a.sent_at), msgType: a.msg_type, references: a.refs, incidents: d.incidents, info: d.info, area: d.area };
}

// ---------- distribution ----------

export const DISTRIBUTE_JOB = 'crisis.distribute';
export const TEMPLATE = 'crisis.statement';

registerTemplates({
  [TEMPLATE]: {
    vi: { subject: crisisText.vi['tpl.subject'], text: crisisText.vi['tpl.text'] },
    en: { subject: crisisText.en['tpl.subject'], text: crisisText.en['tpl.text'] },
  },
});

/** Recipients of a released statement: its lists' contacts, and network members of the affected units. */
export async function recipientsFor(db: Db, statementId: number): Promise<{ channel: 'email' | 'webhook' | 'push'; address: string; locale: Locale }[]> {
  const s = await repo.getStatement(db, statementId);
  if (!s) return [];
  const listIds = await repo.statementListIds(db, statementId);
  if (listIds.length === 0) return [];
  const lists = (await repo.listLists(db)).filter((l) => listIds.includes(l.id));
  const out = new Map<string, { channel: 'email' | 'webhook' | 'push'; address: string; locale: Locale }>();
  for (const c of await repo.contactsOfLists(db, lists.filter((l) => l.kind !== 'network').map((l) => l.id))) {
    out.set(`${c.channel}:${c.address.toLowerCase()}`, { channel: c.channel, address: c.address, locale: c.locale === 'en' ? 'en' : 'vi' });
  }
  if (lists.some((l) => l.kind === 'network')) {
    const paths = s.incident_id ? (await repo.incidentUnits(db, s.incident_id)).map((u) => u.path) : [s.unit_path];
    const members = await membersOfUnits(db, paths.length ? paths : [s.unit_path]);
    for (const m of members) if (m.email) out.set(`email:${m.email.toLowerCase()}`, { channel: 'email', address: m.email, locale: 'vi' });
    for (const p of await repo.pushSubscriptionsOf(db, members.map((m) => m.userId))) out.set(`push:${p.id}`, { channel: 'push', address: String(p.id), locale: 'vi' });
  }
  // gateways (SMS/Zalo, one call reaching many people) and push first, then e-mail: the queue runs in order
  const rank = { webhook: 0, push: 1, email: 2 } as const;
  return [...out.values()].sort((a, b) => rank[a.channel] - rank[b.channel]);
}

export function registerCrisisJobs(site: () => SiteInfo): void {
  registerJob(DISTRIBUTE_JOB, async ({ statementId }: { statementId: number }, { db }) => {
    const s = await repo.getStatement(db, statementId);
    if (!s || s.status !== 'released') return;
    if (await repo.deliveriesStarted(db, statementId)) return;
    const recipients = await recipientsFor(db, statementId);
    const info = site();
    const varsFor = (locale: Locale) => {
      const en = locale === 'en' && s.body_en;
      return {
        org: info.orgName,
        number: s.number!,
        title: en ? s.title_en || s.title : s.title,
        body: en ? s.body_en! : s.body,
        releasedAt: formatDateTime(locale, s.released_at),
        released_at_iso: new Date(s.released_at!).toISOString(),
        code: s.code!,
        verifyUrl: verifyUrl(info, s.code!),
        url: statementUrl(info, s.number!),
        signature: s.signature!,
        keyId: s.key_id!,
      };
    };
    const vars = { vi: varsFor('vi'), en: varsFor('en') };
    const messages: Message[] = recipients.map((r) => ({ channel: r.channel, recipient: r.address, template: TEMPLATE, locale: r.locale, vars: vars[r.locale], refType: 'crisis.statement', refId: statementId }));
    await db.tx(async (tx) => {
      for (let i = 0; i < messages.length; i += 5000) await send(tx, messages.slice(i, i + 5000));
    });
  });
}

export async function resendFailed(db: Db, a: Actor, id: number): Promise<number> {
  const { s, incident } = await statementContext(db, id);
  if (!(await mayDraft(db, a.principal, incident, s.unit_path))) throw new ForbiddenError('crisis.draft');
  const ids = await repo.failedNotificationIds(db, id);
  await db.tx(async (tx) => {
    for (const n of ids) await enqueue(tx, 'notify.deliver', { notificationId: n }, { maxAttempts: 6 });
    await recordAudit(tx, { actorId: a.principal.userId, actorLabel: label(a.principal), action: 'crisis.statement.resend', entityType: 'crisis.statement', entityId: id, unitId: s.unit_id, ip: a.ip, data: { count: ids.length } });
  });
  return ids.length;
}

// ---------- lists ----------

export async function createList(db: Db, a: Actor, name: string, kind: repo.ListKind, unitId: number): Promise<number> {
  const unit = await repo.unitById(db, unitId);
  if (!unit) throw new CrisisFormError({ unitId: 'err.unitsRequired' });
  assertCan(a.principal, 'crisis.manage', unit.path);
  return db.tx(async (tx) => {
    const id = await repo.insertList(tx, name, kind, unitId);
    await recordAudit(tx, { actorId: a.principal.userId, actorLabel: label(a.principal), action: 'crisis.list.create', entityType: 'crisis.list', entityId: id, unitId, ip: a.ip, data: { name, kind } });
    return id;
  });
}

export async function addContact(db: Db, a: Actor, listId: number, c: { name: string; organisation: string; channel: 'email' | 'webhook'; address: string; secret?: string; locale: Locale }): Promise<number> {
  const list = await repo.getList(db, listId);
  if (!list) throw new NotFoundError();
  assertCan(a.principal, 'crisis.manage', list.unit_path);
  return db.tx(async (tx) => {
    let address = c.address;
    if (c.channel === 'webhook') address = String(await repo.insertWebhookEndpoint(tx, `${c.name} (crisis)`, c.address, c.secret ?? ''));
    const id = await repo.insertContact(tx, { listId, name: c.name, organisation: c.organisation, channel: c.channel, address, locale: c.locale });
    // personal data stays out of the audit log: only the channel is recorded
    await recordAudit(tx, { actorId: a.principal.userId, actorLabel: label(a.principal), action: 'crisis.contact.add', entityType: 'crisis.list', entityId: listId, unitId: list.unit_id, ip: a.ip, data: { contactId: id, channel: c.channel } });
    return id;
  });
}
