/** The sharing network's rules: permissions, validation, fan-out, counting, training. */
import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { assertCan, can, ForbiddenError, inSubtree, scopeOf, type Principal } from '../../platform/auth/permissions.js';
import { findUserByEmail, grantRole, insertPasswordReset, insertUser, revokeRole } from '../../platform/auth/repo.js';
import { hashPassword, sha256 } from '../../platform/auth/service.js';
import { common } from '../../platform/i18n/common.js';
import { localDate, type Locale } from '../../platform/i18n/index.js';
import { enqueue } from '../../platform/jobs/queue.js';
import { send } from '../../platform/notify/notify.js';
import { hit } from '../../platform/ratelimit/ratelimit.js';
import { findUnitById } from '../../platform/units/repo.js';
import { publishedItems, recentPublished, submitClaim, type PublishedItem } from '../desk/public.js';
import { releasedStatements } from '../crisis/public.js';
import { nt, type NetKey } from './i18n.js';
import { hashedIp, isBot, linkCode, networkSecret, parseLinkCode, REPEAT_WINDOW_SECONDS, shareUrls, visitFingerprint } from './links.js';
import * as repo from './repo.js';

export type Errors = Record<string, string>;
export type Values = Record<string, string>;
export type Outcome<T> = { ok: true; value: T } | { ok: false; errors: Errors; values: Values };

export class NetworkError extends Error {
  constructor(public readonly status: 404 | 409 | 410 | 422 | 503, public readonly key: NetKey, public readonly vars: Record<string, string | number> = {}) {
    super(key);
  }
}

const audit = (p: Principal, action: string, entityType: string, entityId: number | string, unitId?: number | null, data?: Record<string, unknown>) =>
  ({ actorId: p.userId, actorLabel: p.email, action, entityType, entityId, unitId: unitId ?? null, data });

export const unitLabel = (l: Locale, r: { full_name?: string; unit_name?: string; name_en?: string | null; unit_name_en?: string | null }) =>
  l === 'en' ? (r.name_en ?? r.unit_name_en ?? r.full_name ?? r.unit_name ?? '') : (r.full_name ?? r.unit_name ?? '');

// ---------- who is who ----------

export function memberGrants(p: Principal | null) {
  return (p?.grants ?? []).filter((g) => g.role === 'member');
}

/** The member's home unit (first member grant): clicks and shares count there. */
export function requireMember(p: Principal | null): { p: Principal; unitId: number; unitPath: string } {
  const g = memberGrants(p)[0];
  if (!p || !g) throw new ForbiddenError('network.member');
  return { p, unitId: g.unitId, unitPath: g.unitPath };
}

export function leaderScope(p: Principal | null, action = 'network.lead'): string[] {
  const paths = scopeOf(p, action);
  if (!p || paths.length === 0) throw new ForbiddenError(action);
  return paths;
}

async function unitInScope(db: Db, p: Principal, action: string, unitId: number) {
  const unit = Number.isInteger(unitId) && unitId > 0 ? await findUnitById(db, unitId) : undefined;
  if (!unit) return null;
  return can(p, action, unit.path) ? unit : null;
}

// ---------- members: invitations, join requests, import, removal ----------

export async function createInvite(db: Db, p: Principal, form: { unit?: string; group?: string; days?: string }, baseUrl: string, t: (k: NetKey) => string): Promise<Outcome<{ url: string }>> {
  leaderScope(p);
  const values = { unit: form.unit ?? '', group: form.group ?? '', days: form.days ?? '14' };
  const unit = await unitInScope(db, p, 'network.lead', Number(form.unit));
  if (!unit) return { ok: false, errors: { unit: t('err.unitScope') }, values };
  const days = Math.min(90, Math.max(1, Number(form.days) || 14));
  let groupId: number | null = null;
  if (form.group) {
    const g = await repo.findGroup(db, Number(form.group));
    if (!g || g.unit_id !== unit.id) return { ok: false, errors: { group: t('row.unknownGroup').replace('“{value}”', '') }, values };
    groupId = g.id;
  }
  const token = randomBytes(12).toString('base64url');
  await db.tx(async (tx) => {
    const id = await repo.insertInvite(tx, { token, unitId: unit.id, groupId, createdBy: p.userId, expiresAt: new Date(Date.now() + days * 86400_000) });
    await recordAudit(tx, audit(p, 'network.invite.create', 'network_invite', id, unit.id, { days, groupId }));
  });
  return { ok: true, value: { url: `${baseUrl}/network/join/${token}` } };
}

export async function openInvite(db: Db, token: string) {
  const inv = await repo.findInviteByToken(db, token);
  if (!inv || inv.revoked_at || new Date(inv.expires_at).getTime() < Date.now()) throw new NetworkError(410, 'join.invalid');
  return inv;
}

const emailOk = (s: string) => z.email().safeParse(s).success;
const phoneOk = (s: string) => /^(\+?84|0)\d{8,10}$/.test(s.replace(/[\s.\-()]/g, ''));
const cleanPhone = (s: string) => s.replace(/[\s.\-()]/g, '');

export async function requestToJoin(db: Db, token: string, form: Record<string, string>, locale: Locale): Promise<Outcome<true>> {
  const t = nt.t(locale);
  const inv = await openInvite(db, token);
  const values = { name: (form.name ?? '').trim(), email: (form.email ?? '').trim(), phone: (form.phone ?? '').trim(), password: '' };
  const errors: Errors = {};
  const tc = common.t(locale);
  if (!values.name) errors.name = tc('field.required');
  else if (values.name.length > 100) errors.name = tc('field.tooLong', { max: 100 });
  if (!values.email) errors.email = tc('field.required');
  else if (!emailOk(values.email)) errors.email = tc('field.invalidEmail');
  if (values.phone && !phoneOk(values.phone)) errors.phone = tc('field.invalidPhone');
  const existing = values.email && emailOk(values.email) ? await findUserByEmail(db, values.email) : undefined;
  const password = form.password ?? '';
  if (!existing && password.length < 8) errors.password = t('err.password');
  // an existing account joins only with its own password, so nobody can sign someone else up
  if (existing && !(existing.password_hash && password && (await argon2.verify(existing.password_hash, password).catch(() => false)))) errors.password = t('join.wrongPassword');
  if (existing && (await repo.findMembership(db, existing.id, inv.unit_id))) errors.email = t('join.already');
  if (!errors.email && values.email && (await repo.pendingRequestFor(db, inv.unit_id, values.email))) errors.email = t('join.pending');
  if (Object.keys(errors).length) return { ok: false, errors, values };
  const passwordHash = existing ? null : await hashPassword(password);
  await db.tx(async (tx) => {
    const id = await repo.insertJoinRequest(tx, { inviteId: inv.id, unitId: inv.unit_id, groupId: inv.group_id, email: values.email, name: values.name, phone: values.phone ? cleanPhone(values.phone) : null, passwordHash });
    await recordAudit(tx, { actorLabel: values.email.toLowerCase(), action: 'network.join.request', entityType: 'network_join_request', entityId: id, unitId: inv.unit_id });
  });
  return { ok: true, value: true };
}

/** Makes (or finds) the account and grants the member role; new accounts get a link to set a password. */
async function admit(tx: Db, who: { email: string; name: string; phone: string | null; passwordHash: string | null }, unitId: number, groupId: number | null, baseUrl: string, unitName: string): Promise<{ userId: number; created: boolean }> {
  const existing = await findUserByEmail(tx, who.email);
  let userId = existing?.id;
  const created = !existing;
  if (!userId) userId = await insertUser(tx, { email: who.email, name: who.name, passwordHash: who.passwordHash, phone: who.phone });
  await grantRole(tx, userId, 'member', unitId);
  await repo.logMembership(tx, userId, unitId, 'joined');
  if (groupId) await repo.addToGroup(tx, groupId, userId);
  const locale: Locale = existing?.locale === 'en' ? 'en' : 'vi';
  if (created && !who.passwordHash) {
    const token = randomBytes(32).toString('base64url');
    await insertPasswordReset(tx, sha256(token), userId, new Date(Date.now() + 7 * 86400_000));
    await send(tx, [{ channel: 'email', recipient: who.email, template: 'network.welcome', locale, vars: { name: who.name, unit: unitName, url: `${baseUrl}/reset/${token}` }, refType: 'network.member', refId: userId }]);
  } else {
    await send(tx, [{ channel: 'email', recipient: who.email, template: 'network.approved', locale, vars: { name: who.name, unit: unitName, url: `${baseUrl}/network` }, refType: 'network.member', refId: userId }]);
  }
  return { userId, created };
}

export async function decideRequest(db: Db, p: Principal, id: number, approve: boolean, baseUrl: string): Promise<string> {
  const r = await repo.findJoinRequest(db, id);
  if (!r || r.status !== 'pending') throw new NetworkError(404, 'mgr.noRequests');
  assertCan(p, 'network.lead', r.path);
  await db.tx(async (tx) => {
    if (!(await repo.decideJoinRequest(tx, id, approve ? 'approved' : 'rejected', p.userId))) throw new NetworkError(409, 'mgr.noRequests');
    if (approve) await admit(tx, { email: r.email, name: r.name, phone: r.phone, passwordHash: r.password_hash }, r.unit_id, r.group_id, baseUrl, r.unit_name);
    await recordAudit(tx, audit(p, approve ? 'network.join.approve' : 'network.join.reject', 'network_join_request', id, r.unit_id, { email: r.email }));
  });
  return r.name;
}

export interface ImportRow { line: number; email: string; ok: boolean; message: string }

/** A tiny CSV reader: commas or semicolons, double quotes, a header line recognised by "email". */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  const delim = (text.split(/\r?\n/, 1)[0].match(/;/g)?.length ?? 0) > (text.split(/\r?\n/, 1)[0].match(/,/g)?.length ?? 0) ? ';' : ',';
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delim) { row.push(cell); cell = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

export async function importMembers(db: Db, p: Principal, unitIdRaw: string, csv: string, baseUrl: string, locale: Locale): Promise<Outcome<{ rows: ImportRow[]; ok: number; failed: number }>> {
  leaderScope(p);
  const t = nt.t(locale);
  const values = { unit: unitIdRaw, csv };
  const unit = await unitInScope(db, p, 'network.lead', Number(unitIdRaw));
  if (!unit) return { ok: false, errors: { unit: t('err.unitScope') }, values };
  if (!csv.trim()) return { ok: false, errors: { csv: t('err.csvEmpty') }, values };
  const rows = parseCsv(csv);
  const report: ImportRow[] = [];
  const seen = new Map<string, number>();
  for (const [i, cells] of rows.entries()) {
    const line = i + 1;
    const [emailRaw = '', nameRaw = '', phoneRaw = '', groupRaw = ''] = cells.map((c) => c.trim());
    if (cells.every((c) => !c.trim())) continue;
    if (i === 0 && /e-?mail|thư/i.test(emailRaw)) continue;
    const fail = (key: NetKey, vars: Record<string, string | number> = {}) => report.push({ line, email: emailRaw, ok: false, message: t(key, vars) });
    if (cells.join(',').length > 500) { fail('row.tooLong'); continue; }
    if (!emailRaw) { fail('row.noEmail'); continue; }
    if (!emailOk(emailRaw)) { fail('row.badEmail', { value: emailRaw }); continue; }
    if (!nameRaw) { fail('row.noName'); continue; }
    if (phoneRaw && !phoneOk(phoneRaw)) { fail('row.badPhone', { value: phoneRaw }); continue; }
    const key = emailRaw.toLowerCase();
    if (seen.has(key)) { fail('row.duplicate', { line: seen.get(key)! }); continue; }
    seen.set(key, line);
    let groupId: number | null = null;
    if (groupRaw) {
      const g = await repo.findGroupByName(db, unit.id, groupRaw);
      if (!g) { fail('row.unknownGroup', { value: groupRaw }); continue; }
      groupId = g.id;
    }
    const existing = await findUserByEmail(db, emailRaw);
    if (existing && (await repo.findMembership(db, existing.id, unit.id))) { fail('row.already'); continue; }
    const r = await db.tx(async (tx) => {
      const res = await admit(tx, { email: emailRaw, name: nameRaw.slice(0, 100), phone: phoneRaw ? cleanPhone(phoneRaw) : null, passwordHash: null }, unit.id, groupId, baseUrl, unit.full_name);
      await recordAudit(tx, audit(p, 'network.member.import', 'user', res.userId, unit.id, { line, created: res.created }));
      return res;
    });
    report.push({ line, email: emailRaw, ok: true, message: t(r.created ? 'mgr.rowOk' : 'mgr.rowExisting') });
  }
  const ok = report.filter((r) => r.ok).length;
  return { ok: true, value: { rows: report, ok, failed: report.length - ok } };
}

export async function removeMember(db: Db, p: Principal, userId: number, unitId: number): Promise<string> {
  const m = await repo.findMembership(db, userId, unitId);
  if (!m) throw new NetworkError(404, 'mgr.noRequests');
  assertCan(p, 'network.lead', m.path);
  const name = (await db.one<{ name: string }>(`SELECT name FROM users WHERE id = $1`, [userId]))?.name ?? '';
  await db.tx(async (tx) => {
    await revokeRole(tx, userId, 'member', unitId);
    await repo.dropGroupMemberships(tx, userId, unitId);
    await repo.logMembership(tx, userId, unitId, 'removed');
    await recordAudit(tx, audit(p, 'network.member.remove', 'user', userId, unitId));
  });
  return name;
}

export async function leave(db: Db, p: Principal, unitId: number): Promise<string> {
  const m = await repo.findMembership(db, p.userId, unitId);
  if (!m) throw new NetworkError(404, 'feed.notMember');
  const unit = await findUnitById(db, unitId);
  await db.tx(async (tx) => {
    await revokeRole(tx, p.userId, 'member', unitId);
    await repo.dropGroupMemberships(tx, p.userId, unitId);
    await repo.logMembership(tx, p.userId, unitId, 'left');
    await recordAudit(tx, audit(p, 'network.member.leave', 'user', p.userId, unitId));
  });
  return unit?.full_name ?? '';
}

export async function saveProfile(db: Db, p: Principal, form: Record<string, string>, locale: Locale): Promise<Outcome<true>> {
  requireMember(p);
  const tc = common.t(locale);
  const values = { name: (form.name ?? '').trim(), phone: (form.phone ?? '').trim(), notify_email: form.notify_email ? '1' : '', notify_push: form.notify_push ? '1' : '', notify_webhook: form.notify_webhook ? '1' : '' };
  const errors: Errors = {};
  if (!values.name) errors.name = tc('field.required');
  else if (values.name.length > 100) errors.name = tc('field.tooLong', { max: 100 });
  if (values.phone && !phoneOk(values.phone)) errors.phone = tc('field.invalidPhone');
  if (Object.keys(errors).length) return { ok: false, errors, values };
  await db.tx(async (tx) => {
    await repo.saveProfile(tx, p.userId, { name: values.name, phone: values.phone ? cleanPhone(values.phone) : null, notify_email: !!values.notify_email, notify_push: !!values.notify_push, notify_webhook: !!values.notify_webhook });
    await recordAudit(tx, audit(p, 'network.profile.update', 'user', p.userId));
  });
  return { ok: true, value: true };
}

export async function createGroup(db: Db, p: Principal, unitIdRaw: string, nameRaw: string, locale: Locale): Promise<Outcome<string>> {
  const t = nt.t(locale);
  const name = nameRaw.trim();
  const values = { unit: unitIdRaw, name };
  const unit = await unitInScope(db, p, 'network.lead', Number(unitIdRaw));
  if (!unit) return { ok: false, errors: { unit: t('err.unitScope') }, values };
  if (!name || name.length > 80) return { ok: false, errors: { name: common.t(locale)(name ? 'field.tooLong' : 'field.required', { max: 80 }) }, values };
  await db.tx(async (tx) => {
    const id = await repo.insertGroup(tx, unit.id, name);
    await recordAudit(tx, audit(p, 'network.group.create', 'network_group', id, unit.id, { name }));
  });
  return { ok: true, value: name };
}

// ---------- campaigns ----------

export interface PickItem { key: string; kind: string; title: string; url: string; refId: number }

/** What an editor may put in a campaign: recent published desk items and released statements. */
export async function contentChoices(db: Db): Promise<PickItem[]> {
  const [desk, statements] = await Promise.all([
    recentPublished(db, { limit: 30 }).catch(() => [] as PublishedItem[]),
    releasedStatements(db, { limit: 20 }).catch(() => []),
  ]);
  return [
    ...desk.map((d) => ({ key: `${d.kind}:${d.id}`, kind: d.kind, title: d.title, url: d.url, refId: d.id })),
    ...statements.map((s) => ({ key: `statement:${s.id}`, kind: 'statement', title: `${s.number} — ${s.title}`, url: s.url, refId: s.id })),
  ];
}

const dateRe = /^\d{4}-\d{2}-\d{2}$/;
const vnStart = (d: string) => new Date(`${d}T00:00:00+07:00`);
const vnEnd = (d: string) => new Date(new Date(`${d}T00:00:00+07:00`).getTime() + 86400_000);

/** An internal public page: a path on this site, or a full URL on BASE_URL (kept as its path). */
export function internalPath(raw: string, baseUrl: string): string | null {
  const v = raw.trim();
  if (v.startsWith('/') && !v.startsWith('//') && !/[\s<>"\\]/.test(v)) return v;
  try {
    const u = new URL(v);
    const b = new URL(baseUrl);
    if (u.origin === b.origin) return u.pathname + u.search;
  } catch { /* not a URL */ }
  return null;
}

const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v == null || v === '' ? [] : [String(v)]);

export async function createCampaign(db: Db, p: Principal, body: Record<string, unknown>, baseUrl: string, locale: Locale): Promise<Outcome<{ id: number; audience: number }>> {
  const scope = leaderScope(p, 'network.campaign');
  const t = nt.t(locale);
  const tc = common.t(locale);
  const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
  const items = asList(body.items);
  const units = asList(body.units);
  const groups = asList(body.groups);
  const values: Values = { title: str('title').trim(), message: str('message').trim(), links: str('links'), starts: str('starts'), ends: str('ends'), items: items.join('\n'), units: units.join('\n'), groups: groups.join('\n') };
  const errors: Errors = {};
  if (!values.title) errors.title = tc('field.required');
  else if (values.title.length > 150) errors.title = tc('field.tooLong', { max: 150 });
  if (!values.message) errors.message = tc('field.required');
  else if (values.message.length > 1000) errors.message = tc('field.tooLong', { max: 1000 });
  if (!dateRe.test(values.starts) || Number.isNaN(vnStart(values.starts).getTime())) errors.starts = tc('field.invalidDate');
  if (!dateRe.test(values.ends) || Number.isNaN(vnStart(values.ends).getTime())) errors.ends = tc('field.invalidDate');
  if (!errors.starts && !errors.ends) {
    if (values.ends < values.starts) errors.ends = t('err.endsBeforeStart');
    else if (vnEnd(values.ends).getTime() <= Date.now()) errors.ends = t('err.endsPast');
  }
  // items: chosen published content, then page links
  const chosen: { kind: string; refId: number | null; title: string; url: string }[] = [];
  const choices = new Map((await contentChoices(db)).map((c) => [c.key, c]));
  const deskIds = items.filter((k) => /^(article|video|factcheck):\d+$/.test(k)).map((k) => Number(k.split(':')[1]));
  const known = new Map((await publishedItems(db, deskIds).catch(() => [] as PublishedItem[])).map((d) => [`${d.kind}:${d.id}`, d]));
  for (const k of items) {
    const c = choices.get(k) ?? (known.get(k) ? { kind: known.get(k)!.kind, title: known.get(k)!.title, url: known.get(k)!.url, refId: known.get(k)!.id } : undefined);
    if (!c) { errors.items = tc('field.invalidChoice'); continue; }
    chosen.push({ kind: c.kind, refId: c.refId, title: c.title.slice(0, 300), url: c.url });
  }
  for (const [i, raw] of values.links.split(/\r?\n/).entries()) {
    if (!raw.trim()) continue;
    const [a, b] = raw.includes('|') ? [raw.slice(0, raw.lastIndexOf('|')), raw.slice(raw.lastIndexOf('|') + 1)] : ['', raw];
    const path = internalPath(b, baseUrl);
    if (!path) { errors.links ??= t('err.linkLine', { line: i + 1, value: b.trim().slice(0, 80) }); continue; }
    chosen.push({ kind: 'link', refId: null, title: (a.trim() || path).slice(0, 300), url: path });
  }
  if (chosen.length === 0 && !errors.items && !errors.links) errors.items = t('err.noItems');
  // targets: units and groups inside the editor's scope
  const unitIds: number[] = [];
  for (const u of units) {
    const unit = await findUnitById(db, Number(u));
    if (!unit || !scope.some((s) => inSubtree(unit.path, s))) { errors.units = t('err.unitScope'); continue; }
    unitIds.push(unit.id);
  }
  const groupIds: number[] = [];
  for (const g of groups) {
    const grp = await repo.findGroup(db, Number(g));
    if (!grp || !scope.some((s) => inSubtree(grp.path, s))) { errors.units = t('err.unitScope'); continue; }
    groupIds.push(grp.id);
  }
  if (unitIds.length + groupIds.length === 0 && !errors.units) errors.units = t('err.noTargets');
  if (Object.keys(errors).length) return { ok: false, errors, values };
  // only "is anyone reached?" here: the fan-out job counts and notifies, so a large audience never holds the request
  if (!(await repo.audienceExists(db, unitIds, groupIds))) return { ok: false, errors: { units: t('err.emptyAudience') }, values };
  const audience = 0;
  const ownerUnit = unitIds.length ? unitIds[0] : (await repo.findGroup(db, groupIds[0]))!.unit_id;
  const startsAt = vnStart(values.starts);
  const id = await db.tx(async (tx) => {
    const id = await repo.insertCampaign(tx, { title: values.title, message: values.message, unitId: ownerUnit, createdBy: p.userId, startsAt, endsAt: vnEnd(values.ends), audience });
    await repo.insertItems(tx, id, chosen);
    await repo.insertTargets(tx, id, unitIds, groupIds);
    await enqueue(tx, 'network.fanout', { campaignId: id }, { runAt: startsAt, uniqueKey: `network.fanout:${id}` });
    await recordAudit(tx, audit(p, 'network.campaign.create', 'network_campaign', id, ownerUnit, { audience, items: chosen.length, units: unitIds, groups: groupIds }));
    return id;
  });
  return { ok: true, value: { id, audience } };
}

export const FANOUT_BATCH = 5000;

/** The fan-out job: recipients in one INSERT … SELECT, then notifications and delivery jobs in batches. */
export async function fanout(db: Db, campaignId: number, baseUrl: string, batch = FANOUT_BATCH): Promise<{ users: number; messages: number }> {
  const c = await repo.findCampaign(db, campaignId);
  if (!c || c.status !== 'launched') return { users: 0, messages: 0 };
  await repo.insertRecipients(db, campaignId);
  const vars = { title: c.title, message: c.message, url: `${baseUrl}/network/campaigns/${campaignId}` };
  let users = 0;
  let messages = 0;
  let after = 0; // keyset: each batch starts past the last member of the one before
  for (;;) {
    const r = await db.tx((tx) => repo.queueNotificationBatch(tx, campaignId, batch, vars, after));
    users += r.users;
    messages += r.messages;
    if (r.users < batch || r.last == null) break;
    after = r.last;
  }
  await repo.finishFanout(db, campaignId);
  return { users, messages };
}

export function campaignState(c: { status: string; starts_at: Date; ends_at: Date }, now = Date.now()): 'active' | 'scheduled' | 'ended' | 'cancelled' {
  if (c.status === 'cancelled') return 'cancelled';
  if (new Date(c.ends_at).getTime() <= now) return 'ended';
  if (new Date(c.starts_at).getTime() > now) return 'scheduled';
  return 'active';
}

export interface FeedItem { id: number; kind: string; title: string; url: string; publicUrl: string; link: string; share: ReturnType<typeof shareUrls>; shared: string[] }

async function withLinks(db: Db, items: repo.ItemRow[], userId: number, baseUrl: string, shares: { item_id: number; channel: string }[] = []): Promise<FeedItem[]> {
  const secret = await networkSecret(db);
  return items.map((i) => {
    const link = `${baseUrl}/s/${linkCode(secret, i.id, userId)}`;
    return { id: i.id, kind: i.kind, title: i.title, url: i.url, publicUrl: i.url.startsWith('/') ? baseUrl + i.url : i.url, link, share: shareUrls(link, i.title), shared: shares.filter((s) => s.item_id === i.id).map((s) => s.channel) };
  });
}

export async function memberCampaigns(db: Db, p: Principal, baseUrl: string) {
  requireMember(p);
  const campaigns = await repo.activeCampaignsFor(db, p.userId);
  const items = await repo.itemsOfMany(db, campaigns.map((c) => c.id));
  const out = [];
  for (const c of campaigns) out.push({ ...c, items: await withLinks(db, items.filter((i) => i.campaign_id === c.id), p.userId, baseUrl) });
  return out;
}

export async function openCampaign(db: Db, p: Principal, id: number, baseUrl: string) {
  const m = requireMember(p);
  const c = (await repo.activeCampaignsFor(db, p.userId)).find((x) => x.id === id);
  if (!c) throw (await repo.findCampaign(db, id))?.status === 'cancelled' ? new NetworkError(410, 'camp.withdrawn') : new NetworkError(404, 'feed.noCampaigns');
  const unitId = (await repo.findCampaign(db, id)) && (await db.one<{ unit_id: number }>(`SELECT unit_id FROM network_recipients WHERE campaign_id = $1 AND user_id = $2`, [id, p.userId]))?.unit_id;
  await repo.markOpened(db, id, p.userId, unitId ?? m.unitId);
  const shares = await repo.sharesOf(db, id, p.userId);
  return { campaign: c, items: await withLinks(db, await repo.itemsOf(db, id), p.userId, baseUrl, shares) };
}

export const CHANNELS = ['facebook', 'zalo', 'x', 'other'] as const;

export async function reportShare(db: Db, p: Principal, campaignId: number, itemId: number, channel: string): Promise<boolean> {
  const m = requireMember(p);
  if (!(CHANNELS as readonly string[]).includes(channel)) throw new NetworkError(422, 'camp.channel');
  const c = (await repo.activeCampaignsFor(db, p.userId)).find((x) => x.id === campaignId);
  const item = c ? (await repo.itemsOf(db, campaignId)).find((i) => i.id === itemId) : undefined;
  if (!c || !item) throw new NetworkError(404, 'feed.noCampaigns');
  const unitId = (await db.one<{ unit_id: number }>(`SELECT unit_id FROM network_recipients WHERE campaign_id = $1 AND user_id = $2`, [campaignId, p.userId]))?.unit_id ?? m.unitId;
  return db.tx(async (tx) => {
    await repo.markOpened(tx, campaignId, p.userId, unitId);
    return repo.insertShare(tx, { campaignId, itemId, userId: p.userId, unitId, channel });
  });
}

export type LinkOutcome = { kind: 'redirect'; url: string; counted: boolean } | { kind: 'invalid' } | { kind: 'ended'; url: string } | { kind: 'withdrawn' };

const targetCache = new Map<string, { at: number; v: repo.LinkTarget | undefined }>();

/** Drops this process's cached link targets of a campaign, so an edit or a cancellation applies to its links at once. */
function forgetCampaignLinks(campaignId: number): void {
  for (const [k, e] of targetCache) if (e.v?.campaign_id === campaignId) targetCache.delete(k);
}
/** Fingerprints (salted hashes, never addresses) this process counted recently, until their window ends. */
const recentlySeen = new Map<string, number>();

/** A visit to /s/CODE: checks the signature, counts one click for the member's unit unless it is a bot or a repeat. */
export async function followLink(db: Db, code: string, visitor: { ip: string; userAgent: string | undefined }, opts: { rateLimit: boolean }): Promise<LinkOutcome> {
  const secret = await networkSecret(db);
  const ids = parseLinkCode(secret, code);
  if (!ids) return { kind: 'invalid' };
  const key = `${ids.itemId}:${ids.userId}`;
  let cached = targetCache.get(key);
  if (!cached || Date.now() - cached.at > 30_000) {
    cached = { at: Date.now(), v: await repo.linkTarget(db, ids.itemId, ids.userId) };
    if (targetCache.size > 20_000) targetCache.clear();
    targetCache.set(key, cached);
  }
  const target = cached.v;
  if (!target) return { kind: 'invalid' };
  const state = campaignState(target);
  if (state === 'cancelled') return { kind: 'withdrawn' };
  if (state === 'ended') return { kind: 'ended', url: target.url };
  let counted = false;
  if (state === 'active' && target.unit_id && !isBot(visitor.userAgent)) {
    let allowed = true;
    if (opts.rateLimit) allowed = (await hit(db, `network.click:${hashedIp(secret, visitor.ip)}`, 60, 60)).allowed;
    if (allowed) {
      const fp = visitFingerprint(secret, visitor.ip, visitor.userAgent ?? '', code);
      // a repeat this process has already seen skips the database; the table decides across processes
      const seenUntil = recentlySeen.get(fp);
      if (seenUntil && seenUntil > Date.now()) return { kind: 'redirect', url: target.url, counted: false };
      counted = await repo.countClick(db, fp, REPEAT_WINDOW_SECONDS, { campaignId: target.campaign_id, itemId: target.item_id, userId: ids.userId, unitId: target.unit_id });
      if (recentlySeen.size > 50_000) recentlySeen.clear();
      recentlySeen.set(fp, Date.now() + REPEAT_WINDOW_SECONDS * 1000);
    }
  }
  return { kind: 'redirect', url: target.url, counted };
}

export async function campaignDetail(db: Db, p: Principal, id: number) {
  const scope = leaderScope(p, 'network.lead');
  const c = await repo.findCampaign(db, id);
  if (!c) throw new NetworkError(404, 'cm.none');
  const rows = await repo.campaignFiguresByUnit(db, id, scope);
  const targets = await repo.targetsOf(db, id);
  const visible = scope.some((s) => inSubtree(c.unit_path, s)) || rows.length > 0;
  if (!visible) throw new ForbiddenError('network.lead');
  const notify = await db.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM notifications WHERE ref_type = 'network.campaign' AND ref_id = $1 GROUP BY status`, [String(id)]);
  return { campaign: c, items: await repo.itemsOf(db, id), targets, rows, notify: Object.fromEntries(notify.map((r) => [r.status, r.n])) as Record<string, number>, canOrganise: can(p, 'network.campaign', c.unit_path) };
}

/** The campaign, if the principal organises it: network.campaign on the unit that owns it (where it was launched from). */
export async function organisedCampaign(db: Db, p: Principal, id: number) {
  leaderScope(p, 'network.campaign');
  const c = await repo.findCampaign(db, id);
  if (!c) throw new NetworkError(404, 'cm.none');
  assertCan(p, 'network.campaign', c.unit_path);
  return c;
}

/** The last day of a campaign, as the date the form shows (ends_at is the midnight after it, Vietnam time). */
export const lastDay = (endsAt: Date) => localDate(new Date(new Date(endsAt).getTime() - 1));

export const campaignValues = (c: repo.CampaignRow): Values => ({ title: c.title, message: c.message, ends: lastDay(c.ends_at) });

export async function editCampaign(db: Db, p: Principal, id: number, form: Record<string, string>, locale: Locale): Promise<Outcome<true>> {
  const c = await organisedCampaign(db, p, id);
  const state = campaignState(c);
  if (state === 'ended' || state === 'cancelled') throw new NetworkError(409, 'cm.err.notEditable');
  const t = nt.t(locale);
  const tc = common.t(locale);
  const values: Values = { title: (form.title ?? '').trim(), message: (form.message ?? '').trim(), ends: (form.ends ?? '').trim() };
  const errors: Errors = {};
  if (!values.title) errors.title = tc('field.required');
  else if (values.title.length > 150) errors.title = tc('field.tooLong', { max: 150 });
  if (!values.message) errors.message = tc('field.required');
  else if (values.message.length > 1000) errors.message = tc('field.tooLong', { max: 1000 });
  if (!dateRe.test(values.ends) || Number.isNaN(vnStart(values.ends).getTime())) errors.ends = tc('field.invalidDate');
  else if (values.ends < localDate(new Date(c.starts_at))) errors.ends = t('err.endsBeforeStart');
  else if (vnEnd(values.ends).getTime() <= Date.now()) errors.ends = t('err.endsPast');
  if (Object.keys(errors).length) return { ok: false, errors, values };
  const before = campaignValues(c);
  const changed = (['title', 'message', 'ends'] as const).filter((k) => before[k] !== values[k]);
  if (changed.length === 0) return { ok: true, value: true };
  await db.tx(async (tx) => {
    if (!(await repo.updateCampaign(tx, id, { title: values.title, message: values.message, endsAt: vnEnd(values.ends), by: p.userId }))) throw new NetworkError(409, 'cm.err.notEditable');
    await recordAudit(tx, audit(p, 'network.campaign.update', 'network_campaign', id, c.unit_id, {
      changed, before: Object.fromEntries(changed.map((k) => [k, before[k]])), after: Object.fromEntries(changed.map((k) => [k, values[k]])),
    }));
  });
  forgetCampaignLinks(id);
  return { ok: true, value: true };
}

export async function cancelCampaign(db: Db, p: Principal, id: number, form: Record<string, string>, locale: Locale): Promise<Outcome<true>> {
  const c = await organisedCampaign(db, p, id);
  if (c.status === 'cancelled') throw new NetworkError(409, 'cm.err.alreadyCancelled');
  const t = nt.t(locale);
  const tc = common.t(locale);
  const values: Values = { reason: (form.reason ?? '').trim(), confirm: form.confirm ? '1' : '' };
  const errors: Errors = {};
  if (!values.reason) errors.reason = tc('field.required');
  else if (values.reason.length < 5) errors.reason = tc('field.tooShort', { min: 5 });
  else if (values.reason.length > 500) errors.reason = tc('field.tooLong', { max: 500 });
  if (!values.confirm) errors.confirm = t('cm.err.confirm');
  if (Object.keys(errors).length) return { ok: false, errors, values };
  await db.tx(async (tx) => {
    const clicks = (await tx.one<{ n: number }>(`SELECT count(*)::int AS n FROM network_clicks WHERE campaign_id = $1`, [id]))!.n;
    const stopped = await repo.cancelCampaign(tx, id, p.userId, values.reason);
    if (stopped == null) throw new NetworkError(409, 'cm.err.alreadyCancelled');
    await recordAudit(tx, audit(p, 'network.campaign.cancel', 'network_campaign', id, c.unit_id, { reason: values.reason, was: campaignState(c), clicksKept: clicks, notificationsStopped: stopped }));
  });
  forgetCampaignLinks(id);
  return { ok: true, value: true };
}

export const per100 = (clicks: number, reached: number) => (reached > 0 ? Math.round((clicks / reached) * 1000) / 10 : null);

// ---------- claims from members ----------

export async function sendClaim(db: Db, p: Principal, form: Record<string, string>, locale: Locale): Promise<Outcome<{ code: string; matches: PublishedItem[] }> & { unavailable?: boolean }> {
  const m = requireMember(p);
  const tc = common.t(locale);
  const values = { text: (form.text ?? '').trim(), link: (form.link ?? '').trim(), seenWhere: (form.seenWhere ?? '').trim() };
  const errors: Errors = {};
  if (values.text.length < 5) errors.text = values.text ? tc('field.tooShort', { min: 5 }) : tc('field.required');
  else if (values.text.length > 2000) errors.text = tc('field.tooLong', { max: 2000 });
  if (values.link && !/^https?:\/\/\S+$/i.test(values.link)) errors.link = tc('field.invalidUrl');
  if (values.seenWhere.length > 200) errors.seenWhere = tc('field.tooLong', { max: 200 });
  if (Object.keys(errors).length) return { ok: false, errors, values };
  try {
    const r = await submitClaim(db, { text: values.text, link: values.link || null, seenWhere: values.seenWhere || null, unitId: m.unitId, memberUserId: p.userId, source: 'member' });
    return { ok: true, value: r };
  } catch (err) {
    if (err instanceof Error && /not implemented/i.test(err.message)) return { ok: false, errors: {}, values, unavailable: true };
    throw err;
  }
}

// ---------- recognition ----------

export async function commend(db: Db, p: Principal, form: Record<string, string>, locale: Locale): Promise<Outcome<true>> {
  leaderScope(p, 'network.recognise');
  const t = nt.t(locale);
  const tc = common.t(locale);
  const values = { unit: form.unit ?? '', member: (form.member ?? '').trim(), reason: (form.reason ?? '').trim() };
  const errors: Errors = {};
  const unit = await unitInScope(db, p, 'network.recognise', Number(values.unit));
  if (!unit) errors.unit = t('err.unitScope');
  if (!values.reason) errors.reason = tc('field.required');
  else if (values.reason.length > 500) errors.reason = tc('field.tooLong', { max: 500 });
  let userId: number | null = null;
  if (values.member && unit) {
    const u = await findUserByEmail(db, values.member);
    const membership = u ? (await repo.memberUnitsOf(db, u.id)).find((x) => inSubtree(x.path, unit.path)) : undefined;
    if (!u || !membership) errors.member = t('feed.notMember');
    else userId = u.id;
  }
  if (Object.keys(errors).length || !unit) return { ok: false, errors, values };
  await db.tx(async (tx) => {
    const id = await repo.insertCommendation(tx, { userId, unitId: unit.id, reason: values.reason, createdBy: p.userId });
    await recordAudit(tx, audit(p, 'network.commend', 'network_commendation', id, unit.id, { userId }));
  });
  return { ok: true, value: true };
}

// ---------- training ----------

export async function assignCourse(db: Db, p: Principal, form: Record<string, string>, locale: Locale): Promise<Outcome<true>> {
  const scope = leaderScope(p, 'network.train');
  const t = nt.t(locale);
  const tc = common.t(locale);
  const values = { course: form.course ?? '', target: form.target ?? '', due: form.due ?? '' };
  const errors: Errors = {};
  const course = Number(values.course) > 0 ? await repo.findCourse(db, Number(values.course)) : undefined;
  if (!course) errors.course = tc('field.invalidChoice');
  else if (course.lessons === 0 || course.questions === 0) errors.course = t('ce.err.incomplete');
  let unitId: number | null = null;
  let groupId: number | null = null;
  const [kind, rawId] = values.target.split(':');
  if (kind === 'u') {
    const u = await findUnitById(db, Number(rawId));
    if (u && scope.some((s) => inSubtree(u.path, s))) unitId = u.id;
  } else if (kind === 'g') {
    const g = await repo.findGroup(db, Number(rawId));
    if (g && scope.some((s) => inSubtree(g.path, s))) groupId = g.id;
  }
  if (!unitId && !groupId) errors.target = values.target ? t('err.unitScope') : t('err.noTargets');
  if (!dateRe.test(values.due)) errors.due = tc('field.invalidDate');
  else if (values.due < localDate(new Date())) errors.due = t('err.dueDate');
  if (Object.keys(errors).length) return { ok: false, errors, values };
  await db.tx(async (tx) => {
    const id = await repo.insertAssignment(tx, { courseId: course!.id, unitId, groupId, dueDate: values.due, by: p.userId });
    await recordAudit(tx, audit(p, 'network.course.assign', 'network_assignment', id, unitId, { courseId: course!.id, groupId, due: values.due }));
  });
  return { ok: true, value: true };
}

export async function courseForMember(db: Db, p: Principal, courseId: number) {
  requireMember(p);
  const assigned = (await repo.assignedCoursesFor(db, p.userId)).find((c) => c.id === courseId);
  if (!assigned) throw new NetworkError(404, 'feed.noTraining');
  const [lessons, done, questions] = await Promise.all([repo.lessonsOf(db, courseId), repo.doneLessons(db, p.userId, courseId), repo.questionsOf(db, courseId)]);
  return { course: assigned, lessons, done: new Set(done.map((d) => d.lesson_id)), questions };
}

export async function markLessonDone(db: Db, p: Principal, courseId: number, position: number): Promise<number | null> {
  const { lessons } = await courseForMember(db, p, courseId);
  const l = lessons.find((x) => x.position === position);
  if (!l) throw new NetworkError(404, 'feed.noTraining');
  await repo.completeLesson(db, p.userId, l.id);
  return lessons.find((x) => x.position === position + 1)?.position ?? null;
}

export interface Graded { score: number; passed: boolean; results: Record<number, boolean>; certificate: string | null }

export function gradeAnswers(questions: repo.QuestionRow[], answers: Record<number, number[]>): { score: number; results: Record<number, boolean> } {
  const results: Record<number, boolean> = {};
  let right = 0;
  for (const q of questions) {
    const a = [...new Set(answers[q.id] ?? [])].sort();
    const c = [...q.correct].sort();
    results[q.id] = a.length === c.length && a.every((x, i) => x === c[i]);
    if (results[q.id]) right++;
  }
  return { score: questions.length ? Math.round((right / questions.length) * 100) : 0, results };
}

export async function takeQuiz(db: Db, p: Principal, courseId: number, body: Record<string, unknown>, locale: Locale): Promise<Outcome<Graded>> {
  const { course, questions } = await courseForMember(db, p, courseId);
  const t = nt.t(locale);
  const answers: Record<number, number[]> = {};
  const values: Values = {};
  const errors: Errors = {};
  for (const q of questions) {
    const raw = asList(body[`q${q.id}`]);
    values[`q${q.id}`] = raw.join('\n');
    const picked = raw.map(Number).filter((n) => Number.isInteger(n) && n >= 0 && n < q.options.length);
    if (picked.length === 0) errors[`q${q.id}`] = t('err.unanswered');
    answers[q.id] = q.kind === 'multiple' ? picked : picked.slice(0, 1);
  }
  if (Object.keys(errors).length) return { ok: false, errors, values };
  const { score, results } = gradeAnswers(questions, answers);
  const passed = score >= course.pass_mark;
  const certificate = await db.tx(async (tx) => {
    await repo.insertAttempt(tx, p.userId, courseId, score, passed);
    if (!passed) return null;
    const code = randomBytes(6).toString('hex').toUpperCase().replace(/(.{4})(.{4})(.{4})/, 'CN-$1-$2-$3');
    const issued = await repo.issueCertificate(tx, code, p.userId, courseId, score);
    await recordAudit(tx, audit(p, 'network.certificate.issue', 'network_certificate', issued, null, { courseId, score }));
    return issued;
  });
  return { ok: true, value: { score, passed, results, certificate } };
}

export async function completionByUnit(db: Db, p: Principal) {
  const scope = leaderScope(p, 'network.lead');
  const rows = await repo.completionInPaths(db, scope);
  const today = localDate(new Date());
  const byUnit = new Map<number, { unit_id: number; unit_name: string; unit_name_en: string | null; assigned: number; completed: number; overdue: number }>();
  const overdue: repo.CompletionRow[] = [];
  for (const r of rows) {
    const u = byUnit.get(r.unit_id) ?? { unit_id: r.unit_id, unit_name: r.unit_name, unit_name_en: r.unit_name_en, assigned: 0, completed: 0, overdue: 0 };
    u.assigned++;
    if (r.passed_at) u.completed++;
    else if (r.due_date < today) { u.overdue++; overdue.push(r); }
    byUnit.set(r.unit_id, u);
  }
  return { units: [...byUnit.values()], overdue };
}


// ---------- the course editor (staff with network.train on the course's unit) ----------

const MAX_OPTIONS = 6;
export const OPTION_SLOTS = Array.from({ length: MAX_OPTIONS }, (_, i) => i);

/** A course the principal may edit: network.train on the unit that owns it (the top unit for imported courses). */
export async function editableCourse(db: Db, p: Principal, courseId: number) {
  leaderScope(p, 'network.train');
  const c = await repo.courseMeta(db, courseId);
  if (!c) throw new NetworkError(404, 'ce.notFound');
  assertCan(p, 'network.train', c.unit_path);
  return c;
}

/** Course ids the principal may edit, for the training page's links. */
export async function editableCourseIds(db: Db, p: Principal): Promise<Set<number>> {
  const rows = await db.query<{ id: number; path: string }>(
    `SELECT c.id, COALESCE(u.path, (SELECT path FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1))::text AS path FROM network_courses c LEFT JOIN units u ON u.id = c.unit_id`,
  );
  return new Set(rows.filter((r) => can(p, 'network.train', r.path)).map((r) => r.id));
}

/** "Kiểm chứng thông tin" → "kiem-chung-thong-tin". */
export function slugify(title: string): string {
  const s = title.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50).replace(/-+$/, '');
  return s.length >= 3 ? s : `khoa-hoc${s ? `-${s}` : ''}`;
}

function courseFields(form: Record<string, string>, tc: ReturnType<typeof common.t>) {
  const values: Values = { title: (form.title ?? '').trim(), summary: (form.summary ?? '').trim(), pass_mark: (form.pass_mark ?? '').trim() };
  const errors: Errors = {};
  if (!values.title) errors.title = tc('field.required');
  else if (values.title.length < 3) errors.title = tc('field.tooShort', { min: 3 });
  else if (values.title.length > 200) errors.title = tc('field.tooLong', { max: 200 });
  if (!values.summary) errors.summary = tc('field.required');
  else if (values.summary.length < 3) errors.summary = tc('field.tooShort', { min: 3 });
  else if (values.summary.length > 1000) errors.summary = tc('field.tooLong', { max: 1000 });
  const mark = Number(values.pass_mark);
  return { values, errors, mark };
}

export async function createCourse(db: Db, p: Principal, form: Record<string, string>, locale: Locale): Promise<Outcome<number>> {
  leaderScope(p, 'network.train');
  const t = nt.t(locale);
  const { values, errors, mark } = courseFields(form, common.t(locale));
  values.unit = form.unit ?? '';
  if (!/^\d{1,3}$/.test(values.pass_mark) || mark < 1 || mark > 100) errors.pass_mark = t('ce.err.passMark');
  const unit = await unitInScope(db, p, 'network.train', Number(values.unit));
  if (!unit) errors.unit = t('err.unitScope');
  if (Object.keys(errors).length || !unit) return { ok: false, errors, values };
  const base = slugify(values.title);
  let slug = base;
  for (let i = 2; await repo.slugTaken(db, slug); i++) slug = `${base}-${i}`;
  const id = await db.tx(async (tx) => {
    const id = await repo.insertCourse(tx, { slug, title: values.title, summary: values.summary, passMark: mark, unitId: unit.id, by: p.userId });
    await recordAudit(tx, audit(p, 'network.course.create', 'network_course', id, unit.id, { slug, title: values.title, passMark: mark }));
    return id;
  });
  return { ok: true, value: id };
}

export async function saveCourse(db: Db, p: Principal, courseId: number, form: Record<string, string>, locale: Locale): Promise<Outcome<true>> {
  const c = await editableCourse(db, p, courseId);
  const t = nt.t(locale);
  const { values, errors, mark } = courseFields(form, common.t(locale));
  if (!/^\d{1,3}$/.test(values.pass_mark) || mark < 1 || mark > 100) errors.pass_mark = t('ce.err.passMark');
  if (Object.keys(errors).length) return { ok: false, errors, values };
  const before = { title: c.title, summary: c.summary, passMark: c.pass_mark };
  const after = { title: values.title, summary: values.summary, passMark: mark };
  const changed = (Object.keys(after) as (keyof typeof after)[]).filter((k) => before[k] !== after[k]);
  if (changed.length === 0) return { ok: true, value: true };
  await db.tx(async (tx) => {
    await repo.updateCourse(tx, courseId, { ...after, by: p.userId });
    await recordAudit(tx, audit(p, 'network.course.update', 'network_course', courseId, c.unit_id, {
      changed, before: Object.fromEntries(changed.map((k) => [k, before[k]])), after: Object.fromEntries(changed.map((k) => [k, after[k]])), certificates: c.certificates,
    }));
  });
  return { ok: true, value: true };
}

/** Validates a lesson form; the values come back as typed. */
export function lessonFields(form: Record<string, string>, locale: Locale): Outcome<repo.LessonInput> {
  const tc = common.t(locale);
  const values: Values = { title: (form.title ?? '').trim(), body: (form.body ?? '').replace(/\r\n/g, '\n').trim(), video_url: (form.video_url ?? '').trim(), transcript: (form.transcript ?? '').trim() };
  const errors: Errors = {};
  if (!values.title) errors.title = tc('field.required');
  else if (values.title.length > 200) errors.title = tc('field.tooLong', { max: 200 });
  if (!values.body) errors.body = tc('field.required');
  else if (values.body.length > 20000) errors.body = tc('field.tooLong', { max: 20000 });
  if (values.video_url && (!/^https?:\/\/[^\s<>"]+$/i.test(values.video_url) || values.video_url.length > 500 || !URL.canParse(values.video_url))) errors.video_url = tc('field.invalidUrl');
  if (values.transcript.length > 20000) errors.transcript = tc('field.tooLong', { max: 20000 });
  if (Object.keys(errors).length) return { ok: false, errors, values };
  return { ok: true, value: { title: values.title, body: values.body, videoUrl: values.video_url || null, transcript: values.transcript || null } };
}

export async function saveLesson(db: Db, p: Principal, courseId: number, lessonId: number | null, form: Record<string, string>, locale: Locale): Promise<Outcome<number>> {
  const c = await editableCourse(db, p, courseId);
  const existing = lessonId ? await repo.findLesson(db, courseId, lessonId) : undefined;
  if (lessonId && !existing) throw new NetworkError(404, 'ce.notFound');
  const r = lessonFields(form, locale);
  if (!r.ok) return r;
  const id = await db.tx(async (tx) => {
    if (existing) {
      await repo.updateLesson(tx, existing.id, r.value);
      await repo.touchCourse(tx, courseId, p.userId);
      const changed = (['title', 'body', 'video_url', 'transcript'] as const).filter((k) => (existing[k] ?? null) !== ({ title: r.value.title, body: r.value.body, video_url: r.value.videoUrl, transcript: r.value.transcript })[k]);
      await recordAudit(tx, audit(p, 'network.lesson.update', 'network_lesson', existing.id, c.unit_id, { courseId, position: existing.position, title: r.value.title, changed }));
      return existing.id;
    }
    const l = await repo.insertLesson(tx, courseId, r.value);
    await repo.touchCourse(tx, courseId, p.userId);
    await recordAudit(tx, audit(p, 'network.lesson.create', 'network_lesson', l.id, c.unit_id, { courseId, position: l.position, title: r.value.title }));
    return l.id;
  });
  return { ok: true, value: id };
}

export async function moveLesson(db: Db, p: Principal, courseId: number, lessonId: number, dir: -1 | 1): Promise<void> {
  const c = await editableCourse(db, p, courseId);
  await db.tx(async (tx) => {
    const l = await repo.findLesson(tx, courseId, lessonId);
    if (!l) throw new NetworkError(404, 'ce.notFound');
    if (!(await repo.moveLesson(tx, courseId, lessonId, dir))) return;
    await repo.touchCourse(tx, courseId, p.userId);
    await recordAudit(tx, audit(p, 'network.lesson.move', 'network_lesson', lessonId, c.unit_id, { courseId, title: l.title, from: l.position, to: l.position + dir }));
  });
}

export async function removeLesson(db: Db, p: Principal, courseId: number, lessonId: number): Promise<void> {
  const c = await editableCourse(db, p, courseId);
  await db.tx(async (tx) => {
    const l = await repo.findLesson(tx, courseId, lessonId);
    if (!l) throw new NetworkError(404, 'ce.notFound');
    const progress = (await tx.one<{ n: number }>(`SELECT count(*)::int AS n FROM network_lesson_progress WHERE lesson_id = $1`, [lessonId]))!.n;
    await repo.deleteLesson(tx, courseId, lessonId);
    await repo.touchCourse(tx, courseId, p.userId);
    await recordAudit(tx, audit(p, 'network.lesson.remove', 'network_lesson', lessonId, c.unit_id, { courseId, position: l.position, title: l.title, progressRemoved: progress }));
  });
}

/** Validates a question form: up to six option slots (opt0…opt5), "correct" lists the slots that are right. */
export function questionFields(form: Record<string, unknown>, locale: Locale): Outcome<repo.QuestionInput> {
  const tc = common.t(locale);
  const t = nt.t(locale);
  const str = (k: string) => (typeof form[k] === 'string' ? (form[k] as string) : '');
  const correctSlots = asList(form.correct).filter((x) => /^[0-5]$/.test(x));
  const values: Values = { kind: str('kind'), prompt: str('prompt').trim(), explanation: str('explanation').trim(), correct: correctSlots.join('\n') };
  for (const i of OPTION_SLOTS) values[`opt${i}`] = str(`opt${i}`).trim();
  const errors: Errors = {};
  const kind = (['single', 'multiple', 'truefalse'] as const).find((k) => k === values.kind);
  if (!kind) errors.kind = tc('field.invalidChoice');
  if (!values.prompt) errors.prompt = tc('field.required');
  else if (values.prompt.length > 500) errors.prompt = tc('field.tooLong', { max: 500 });
  if (values.explanation.length > 500) errors.explanation = tc('field.tooLong', { max: 500 });
  let slots = OPTION_SLOTS.filter((i) => values[`opt${i}`]);
  if (kind === 'truefalse' && slots.length === 0) {
    values.opt0 = t('tr.true');
    values.opt1 = t('tr.false');
    slots = [0, 1];
  }
  if (slots.some((i) => values[`opt${i}`].length > 200)) errors.options = tc('field.tooLong', { max: 200 });
  else if (kind === 'truefalse' && slots.length !== 2) errors.options = t('ce.err.trueFalse');
  else if (slots.length < 2) errors.options = t('ce.err.options');
  const correct = slots.map((s, k) => (correctSlots.includes(String(s)) ? k : -1)).filter((k) => k >= 0);
  if (!errors.options) {
    if (correctSlots.some((s) => !slots.includes(Number(s)))) errors.correct = t('ce.err.correctEmpty');
    else if (correct.length === 0) errors.correct = t('ce.err.correct');
    else if (kind !== 'multiple' && correct.length > 1) errors.correct = t('ce.err.oneCorrect');
  }
  if (Object.keys(errors).length || !kind) return { ok: false, errors, values };
  return { ok: true, value: { kind, prompt: values.prompt, options: slots.map((i) => values[`opt${i}`]), correct, explanation: values.explanation || null } };
}

/** A saved question as form values (options in the first slots). */
export function questionValues(q: repo.QuestionRow): Values {
  const v: Values = { kind: q.kind, prompt: q.prompt, explanation: q.explanation ?? '', correct: q.correct.map(String).join('\n') };
  for (const i of OPTION_SLOTS) v[`opt${i}`] = q.options[i] ?? '';
  return v;
}

export async function saveQuestion(db: Db, p: Principal, courseId: number, questionId: number | null, form: Record<string, unknown>, locale: Locale): Promise<Outcome<number>> {
  const c = await editableCourse(db, p, courseId);
  const existing = questionId ? await repo.findQuestion(db, courseId, questionId) : undefined;
  if (questionId && !existing) throw new NetworkError(404, 'ce.notFound');
  const r = questionFields(form, locale);
  if (!r.ok) return r;
  const id = await db.tx(async (tx) => {
    if (existing) {
      await repo.updateQuestion(tx, existing.id, r.value);
      await repo.touchCourse(tx, courseId, p.userId);
      await recordAudit(tx, audit(p, 'network.question.update', 'network_question', existing.id, c.unit_id, {
        courseId, position: existing.position, before: { kind: existing.kind, prompt: existing.prompt, options: existing.options, correct: existing.correct },
        after: { kind: r.value.kind, prompt: r.value.prompt, options: r.value.options, correct: r.value.correct },
      }));
      return existing.id;
    }
    const q = await repo.insertQuestion(tx, courseId, r.value);
    await repo.touchCourse(tx, courseId, p.userId);
    await recordAudit(tx, audit(p, 'network.question.create', 'network_question', q.id, c.unit_id, { courseId, position: q.position, prompt: r.value.prompt }));
    return q.id;
  });
  return { ok: true, value: id };
}

export async function moveQuestion(db: Db, p: Principal, courseId: number, questionId: number, dir: -1 | 1): Promise<void> {
  const c = await editableCourse(db, p, courseId);
  await db.tx(async (tx) => {
    const q = await repo.findQuestion(tx, courseId, questionId);
    if (!q) throw new NetworkError(404, 'ce.notFound');
    if (!(await repo.moveQuestion(tx, courseId, questionId, dir))) return;
    await repo.touchCourse(tx, courseId, p.userId);
    await recordAudit(tx, audit(p, 'network.question.move', 'network_question', questionId, c.unit_id, { courseId, from: q.position, to: q.position + dir }));
  });
}

export async function removeQuestion(db: Db, p: Principal, courseId: number, questionId: number): Promise<void> {
  const c = await editableCourse(db, p, courseId);
  await db.tx(async (tx) => {
    const q = await repo.findQuestion(tx, courseId, questionId);
    if (!q) throw new NetworkError(404, 'ce.notFound');
    await repo.deleteQuestion(tx, courseId, questionId);
    await repo.touchCourse(tx, courseId, p.userId);
    await recordAudit(tx, audit(p, 'network.question.remove', 'network_question', questionId, c.unit_id, { courseId, position: q.position, prompt: q.prompt }));
  });
}
