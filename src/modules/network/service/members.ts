/** Members: invitations, join requests, import, removal, profiles and groups. */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../../db/client.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { type Actor, assertCan, can, type Principal } from '../../../platform/auth/permissions.js';
import { AppError } from '../../../platform/errors.js';
import {
  findUserByEmail,
  findUserById,
  grantRole,
  insertPasswordReset,
  insertUser,
  revokeRole,
} from '../../../platform/auth/repo.js';
import { hashPassword, sha256 } from '../../../platform/auth/service.js';
import type { Locale } from '../../../platform/i18n/index.js';
import { enqueue } from '../../../platform/jobs/queue.js';
import { send } from '../../../platform/notify/notify.js';
import type { TemplateTable } from '../../../platform/notify/templates.js';
import { findUnitById } from '../../../platform/units/repo.js';
import { nt, type NetKey } from '../i18n.js';
import * as repo from '../repo.js';
import { FormRefused, leaderScope, NetworkError, requireMember, unitLabel } from './common.js';
import { cleanPhone, emailOk, type GroupInput, type InviteInput, type JoinInput, phoneOk } from './forms.js';
import { audit, unitInScope } from './internal.js';
import { parseId } from '../../../platform/ids.js';

export async function createInvite(db: Db, a: Actor, input: InviteInput, baseUrl: string): Promise<{ url: string }> {
  leaderScope(a.principal);
  const unit = await unitInScope(db, a, 'network.lead', parseId(input.unit));
  if (!unit) throw new FormRefused({ unit: 'err.unitScope' });
  let groupId: number | null = null;
  if (input.group) {
    const groupNo = parseId(input.group);
    const g = groupNo ? await repo.findGroup(db, groupNo) : undefined;
    if (!g || g.unit_id !== unit.id) throw new FormRefused({ group: 'row.unknownGroup' }, { value: input.group });
    groupId = g.id;
  }
  const token = randomBytes(12).toString('base64url');
  await db.tx(async (tx) => {
    const id = await repo.insertInvite(tx, {
      token,
      unitId: unit.id,
      groupId,
      createdBy: a.principal.userId,
      expiresAt: new Date(Date.now() + input.days * 86400_000),
    });
    await recordAudit(
      tx,
      audit(a, 'network.invite.create', 'network_invite', id, unit.id, { days: input.days, groupId }),
    );
  });
  return { url: `${baseUrl}/network/join/${token}` };
}

export async function openInvite(db: Db, token: string) {
  const inv = await repo.findInviteByToken(db, token);
  if (!inv || inv.revoked_at || new Date(inv.expires_at).getTime() < Date.now())
    throw new NetworkError(410, 'join.invalid');
  return inv;
}

export const memberTemplates: TemplateTable = {
  'network.join-confirm': {
    vi: {
      subject: 'Xác nhận địa chỉ thư để tham gia mạng lưới {unit}',
      text: 'Xin chào {name},\n\nCó người vừa xin tham gia mạng lưới chia sẻ của {unit} bằng địa chỉ thư này. Nếu đó là bạn, mở liên kết sau (hiệu lực 7 ngày) để xác nhận:\n{url}\n\nNếu không phải bạn, hãy bỏ qua thư này: không có gì được tạo ra.',
    },
    en: {
      subject: 'Confirm your address to join the network of {unit}',
      text: 'Hello {name},\n\nSomeone just asked to join the sharing network of {unit} with this address. If it was you, open this link (valid for 7 days) to confirm:\n{url}\n\nIf it was not you, ignore this message: nothing was created.',
    },
  },
};

/**
 * The public form takes a name and an address, and sends a confirmation link to that address. The answer is the
 * same whatever the address (a member already, a request pending, an account or not), so the form tells nobody
 * who is known. The account is made only when a leader approves a confirmed request.
 */
export async function requestToJoin(
  db: Db,
  token: string,
  values: JoinInput,
  locale: Locale,
  baseUrl: string,
): Promise<void> {
  const inv = await openInvite(db, token);
  const existing = await findUserByEmail(db, values.email);
  if (existing && (await repo.findMembership(db, existing.id, inv.unit_id))) return;
  if (await repo.pendingRequestFor(db, inv.unit_id, values.email)) return;
  const secret = randomBytes(24).toString('base64url');
  await db.tx(async (tx) => {
    const id = await repo.insertJoinRequest(tx, {
      inviteId: inv.id,
      unitId: inv.unit_id,
      groupId: inv.group_id,
      email: values.email,
      name: values.name,
      phone: values.phone ? cleanPhone(values.phone) : null,
      passwordHash: null,
      verifyTokenHash: sha256(secret),
    });
    await recordAudit(tx, {
      actorLabel: values.email.toLowerCase(),
      action: 'network.join.request',
      entityType: 'network_join_request',
      entityId: id,
      unitId: inv.unit_id,
    });
    await send(tx, [
      {
        channel: 'email',
        recipient: values.email,
        template: 'network.join-confirm',
        locale,
        vars: { name: values.name, unit: unitLabel(locale, inv), url: `${baseUrl}/network/join/confirm/${secret}` },
        refType: 'network.join',
        refId: id,
      },
    ]);
  });
}

/** The confirmation page: a new address also chooses its password here, an existing account needs none. */
export async function joinToConfirm(
  db: Db,
  secret: string,
): Promise<{ id: number; email: string; name: string; needsPassword: boolean }> {
  const r = /^[\w-]{20,64}$/.test(secret) ? await repo.joinRequestToConfirm(db, sha256(secret)) : undefined;
  if (!r) throw new NetworkError(410, 'join.confirmInvalid');
  return { id: r.id, email: r.email, name: r.name, needsPassword: !(await findUserByEmail(db, r.email)) };
}

/**
 * Confirms a join request's address; a new account's password (8 to 200 characters) is chosen here. Returns the
 * request as it was before the confirmation (what the confirmation page shows).
 */
export async function confirmJoin(
  db: Db,
  secret: string,
  password: string,
): Promise<Awaited<ReturnType<typeof joinToConfirm>>> {
  const r = await joinToConfirm(db, secret);
  if (r.needsPassword && (password.length < 8 || password.length > 200))
    throw new FormRefused({ password: 'err.password' });
  const hash = r.needsPassword ? await hashPassword(password) : null;
  await db.tx(async (tx) => {
    if (!(await repo.confirmJoinRequest(tx, r.id, hash))) throw new NetworkError(410, 'join.confirmInvalid');
    await recordAudit(tx, {
      actorLabel: r.email.toLowerCase(),
      action: 'network.join.confirm',
      entityType: 'network_join_request',
      entityId: r.id,
    });
  });
  return r;
}

/** Makes (or finds) the account and grants the member role; new accounts get a link to set a password. */
async function admit(
  tx: Db,
  who: { email: string; name: string; phone: string | null; passwordHash: string | null },
  unitId: number,
  groupId: number | null,
  baseUrl: string,
  unitName: string,
): Promise<{ userId: number; created: boolean }> {
  const existing = await findUserByEmail(tx, who.email);
  let userId = existing?.id;
  const created = !existing;
  if (!userId)
    userId = await insertUser(tx, {
      email: who.email,
      name: who.name,
      passwordHash: who.passwordHash,
      phone: who.phone,
    });
  await grantRole(tx, userId, 'member', unitId);
  await repo.logMembership(tx, userId, unitId, 'joined');
  if (groupId) await repo.addToGroup(tx, groupId, userId);
  const locale: Locale = existing?.locale === 'en' ? 'en' : 'vi';
  if (created && !who.passwordHash) {
    const token = randomBytes(32).toString('base64url');
    await insertPasswordReset(tx, sha256(token), userId, new Date(Date.now() + 7 * 86400_000));
    await send(tx, [
      {
        channel: 'email',
        recipient: who.email,
        template: 'network.welcome',
        locale,
        vars: { name: who.name, unit: unitName, url: `${baseUrl}/reset/${token}` },
        refType: 'network.member',
        refId: userId,
      },
    ]);
  } else {
    await send(tx, [
      {
        channel: 'email',
        recipient: who.email,
        template: 'network.approved',
        locale,
        vars: { name: who.name, unit: unitName, url: `${baseUrl}/network` },
        refType: 'network.member',
        refId: userId,
      },
    ]);
  }
  return { userId, created };
}

export async function decideRequest(db: Db, a: Actor, id: number, approve: boolean, baseUrl: string): Promise<string> {
  const r = await repo.findJoinRequest(db, id);
  if (!r || r.status !== 'pending') throw new NetworkError(404, 'mgr.noRequests');
  assertCan(a.principal, 'network.lead', r.path);
  // nothing is granted to an address its owner has not confirmed
  if (approve && !r.email_verified_at) throw new NetworkError(409, 'join.unconfirmed');
  await db.tx(async (tx) => {
    if (!(await repo.decideJoinRequest(tx, id, approve ? 'approved' : 'rejected', a.principal.userId)))
      throw new NetworkError(409, 'mgr.noRequests');
    if (approve)
      await admit(
        tx,
        { email: r.email, name: r.name, phone: r.phone, passwordHash: r.password_hash },
        r.unit_id,
        r.group_id,
        baseUrl,
        r.unit_name,
      );
    await recordAudit(
      tx,
      audit(a, approve ? 'network.join.approve' : 'network.join.reject', 'network_join_request', id, r.unit_id, {
        email: r.email,
      }),
    );
  });
  return r.name;
}

export interface ImportRow {
  line: number;
  email: string;
  ok: boolean;
  message: string;
}

/** A tiny CSV reader: commas or semicolons, double quotes, a header line recognised by "email". */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  const delim =
    (text.split(/\r?\n/, 1)[0].match(/;/g)?.length ?? 0) > (text.split(/\r?\n/, 1)[0].match(/,/g)?.length ?? 0)
      ? ';'
      : ',';
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delim) {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** What an import job keeps in its row while it runs: the rows done so far, each with its outcome. */
export interface ImportProgress {
  /** Index of the next CSV line to process (a retried job resumes there). */
  next: number;
  total: number;
  rows: ImportRow[];
}

export interface ImportJob {
  userId: number;
  email: string;
  unitId: number;
  unitPath: string;
  csv: string;
  createGroups: boolean;
  locale: Locale;
  /** The leader's address when they started it, for the audit entries the job writes. */
  ip?: string | null;
  progress?: ImportProgress;
}

export const IMPORT_JOB = 'network.import';

/** Lines of a CSV that an import will look at: not blank, and not the header. */
const importLines = (csv: string) =>
  parseCsv(csv)
    .map((cells, i) => ({ cells, line: i + 1 }))
    .filter(
      ({ cells, line }) => !cells.every((c) => !c.trim()) && !(line === 1 && /e-?mail|thư/i.test(cells[0] ?? '')),
    );

/**
 * Checks the unit and that there is something to import, then queues the import; the rows are read by the job
 * (runImport) and the page /network/manage/import/ID shows how far it got.
 */
export async function startImport(
  db: Db,
  a: Actor,
  input: { unit: string; create_groups: boolean },
  csv: string,
  locale: Locale,
): Promise<number> {
  leaderScope(a.principal);
  const unit = await unitInScope(db, a, 'network.lead', parseId(input.unit));
  if (!unit) throw new FormRefused({ unit: 'err.unitScope' });
  if (!csv.trim()) throw new FormRefused({ csv: 'err.csvEmpty' });
  const job: ImportJob = {
    userId: a.principal.userId,
    email: a.principal.email,
    ip: a.ip,
    unitId: unit.id,
    unitPath: unit.path,
    csv,
    createGroups: input.create_groups,
    locale,
    progress: { next: 0, total: importLines(csv).length, rows: [] },
  };
  const id = await enqueue(db, IMPORT_JOB, job as unknown as Record<string, unknown>, { maxAttempts: 3 });
  await recordAudit(db, audit(a, 'network.member.import.start', 'job', id!, unit.id, { rows: job.progress!.total }));
  return id!;
}

/** An import job as its page shows it: to the leader who started it, or a leader of its unit. */
export async function importStatus(db: Db, a: Actor, jobId: number) {
  const row = await repo.findImportJob(db, jobId);
  if (!row || (row.payload.userId !== a.principal.userId && !can(a.principal, 'network.lead', row.payload.unitPath)))
    throw new AppError({ status: 404, key: 'error.notFound' });
  const progress = row.payload.progress ?? { next: 0, total: 0, rows: [] };
  const ok = progress.rows.filter((r) => r.ok).length;
  const finished = row.status === 'done' || row.status === 'dead';
  return { status: row.status, finished, progress, ok, failed: progress.rows.length - ok };
}

/** The job: imports each line, saving the per-row outcomes as it goes so the page can show them. */
export async function runImport(db: Db, jobId: number, job: ImportJob, baseUrl: string): Promise<void> {
  const lines = importLines(job.csv);
  const progress: ImportProgress = job.progress ?? { next: 0, total: lines.length, rows: [] };
  progress.total = lines.length;
  const unit = await findUnitById(db, job.unitId);
  if (!unit) return;
  const a: Actor = { principal: { userId: job.userId, email: job.email } as Principal, ip: job.ip ?? null };
  let saved = Date.now();
  for (let i = progress.next; i < lines.length; i++) {
    progress.rows.push(await importLine(db, a, unit, lines, i, baseUrl, job));
    progress.next = i + 1;
    if (Date.now() - saved > 500 || progress.rows.length % 25 === 0) {
      await repo.saveImportProgress(db, jobId, progress);
      saved = Date.now();
    }
  }
  await repo.saveImportProgress(db, jobId, progress);
}

async function importLine(
  db: Db,
  a: Actor,
  unit: { id: number; full_name: string },
  lines: { cells: string[]; line: number }[],
  index: number,
  baseUrl: string,
  job: ImportJob,
): Promise<ImportRow> {
  const t = nt.t(job.locale);
  const { cells, line } = lines[index];
  const [emailRaw = '', nameRaw = '', phoneRaw = '', groupRaw = ''] = cells.map((c) => c.trim());
  const fail = (key: NetKey, vars: Record<string, string | number> = {}): ImportRow => ({
    line,
    email: emailRaw,
    ok: false,
    message: t(key, vars),
  });
  if (cells.join(',').length > 500) return fail('row.tooLong');
  if (!emailRaw) return fail('row.noEmail');
  if (!emailOk(emailRaw)) return fail('row.badEmail', { value: emailRaw });
  if (!nameRaw) return fail('row.noName');
  if (phoneRaw && !phoneOk(phoneRaw)) return fail('row.badPhone', { value: phoneRaw });
  const key = emailRaw.toLowerCase();
  const first = lines
    .slice(0, index)
    .find((l) => (l.cells[0] ?? '').trim().toLowerCase() === key && lineValid(l.cells));
  if (first) return fail('row.duplicate', { line: first.line });
  let groupId: number | null = null;
  if (groupRaw) {
    const g = await repo.findGroupByName(db, unit.id, groupRaw);
    if (!g && (!job.createGroups || groupRaw.length > 80)) return fail('row.unknownGroup', { value: groupRaw });
    // a group the file names and the unit lacks is created when the leader asked for it (audited like any new group)
    groupId = g
      ? g.id
      : await db.tx(async (tx) => {
          const id = await repo.insertGroup(tx, unit.id, groupRaw);
          await recordAudit(
            tx,
            audit(a, 'network.group.create', 'network_group', id, unit.id, { name: groupRaw, from: 'import', line }),
          );
          return id;
        });
  }
  const existing = await findUserByEmail(db, emailRaw);
  if (existing && (await repo.findMembership(db, existing.id, unit.id))) return fail('row.already');
  const r = await db.tx(async (tx) => {
    const res = await admit(
      tx,
      {
        email: emailRaw,
        name: nameRaw.slice(0, 100),
        phone: phoneRaw ? cleanPhone(phoneRaw) : null,
        passwordHash: null,
      },
      unit.id,
      groupId,
      baseUrl,
      unit.full_name,
    );
    await recordAudit(
      tx,
      audit(a, 'network.member.import', 'user', res.userId, unit.id, { line, created: res.created }),
    );
    return res;
  });
  return { line, email: emailRaw, ok: true, message: t(r.created ? 'mgr.rowOk' : 'mgr.rowExisting') };
}

/** A line that passed the checks before the duplicate test (an earlier copy of an address refuses the later one). */
function lineValid(cells: string[]): boolean {
  const [email = '', name = '', phone = ''] = cells.map((c) => c.trim());
  return cells.join(',').length <= 500 && !!email && emailOk(email) && !!name && (!phone || phoneOk(phone));
}

export async function removeMember(db: Db, a: Actor, userId: number, unitId: number | null): Promise<string> {
  const m = unitId ? await repo.findMembership(db, userId, unitId) : undefined;
  if (!m) throw new NetworkError(404, 'mgr.noRequests');
  assertCan(a.principal, 'network.lead', m.path);
  const name = (await findUserById(db, userId))?.name ?? '';
  await endMembership(db, a, userId, m.unit_id, 'removed');
  return name;
}

export async function leave(db: Db, a: Actor, unitId: number | null): Promise<string> {
  const m = unitId ? await repo.findMembership(db, a.principal.userId, unitId) : undefined;
  if (!m) throw new NetworkError(404, 'feed.notMember');
  const unit = await findUnitById(db, m.unit_id);
  await endMembership(db, a, a.principal.userId, m.unit_id, 'left');
  return unit?.full_name ?? '';
}

/** The member role on the unit goes, with the unit's groups; the membership log and the audit log say how. */
async function endMembership(db: Db, a: Actor, userId: number, unitId: number, how: 'removed' | 'left'): Promise<void> {
  await db.tx(async (tx) => {
    await revokeRole(tx, userId, 'member', unitId);
    await repo.dropGroupMemberships(tx, userId, unitId);
    await repo.logMembership(tx, userId, unitId, how);
    await recordAudit(
      tx,
      audit(a, how === 'left' ? 'network.member.leave' : 'network.member.remove', 'user', userId, unitId),
    );
  });
}

/** A member's own profile form: parsed at the route (form()), saved by saveProfile. */
export const profileSchema = z.object({
  name: z.string().trim().min(1, 'field.required').max(100, 'field.tooLong'),
  phone: z
    .string()
    .trim()
    .default('')
    .refine((v) => !v || phoneOk(v), 'field.invalidPhone'),
  notify_email: z.string().optional(),
  notify_push: z.string().optional(),
  notify_webhook: z.string().optional(),
});
export type ProfileInput = z.infer<typeof profileSchema>;

export async function saveProfile(db: Db, a: Actor, form: ProfileInput): Promise<void> {
  requireMember(a.principal);
  await db.tx(async (tx) => {
    await repo.saveProfile(tx, a.principal.userId, {
      name: form.name,
      phone: form.phone ? cleanPhone(form.phone) : null,
      notify_email: !!form.notify_email,
      notify_push: !!form.notify_push,
      notify_webhook: !!form.notify_webhook,
    });
    await recordAudit(tx, audit(a, 'network.profile.update', 'user', a.principal.userId));
  });
}

/** A group in a unit the leader leads; the answer is its name. */
export async function createGroup(db: Db, a: Actor, input: GroupInput): Promise<string> {
  const unit = await unitInScope(db, a, 'network.lead', parseId(input.unit));
  if (!unit) throw new FormRefused({ unit: 'err.unitScope' });
  await db.tx(async (tx) => {
    const id = await repo.insertGroup(tx, unit.id, input.name);
    await recordAudit(tx, audit(a, 'network.group.create', 'network_group', id, unit.id, { name: input.name }));
  });
  return input.name;
}

/** An invitation link stops working; a leader of its unit may revoke it. */
export async function revokeInvite(db: Db, a: Actor, inviteId: number): Promise<void> {
  const inv = await repo.findInvite(db, inviteId);
  if (!inv || !can(a.principal, 'network.lead', inv.path)) throw new AppError({ status: 404, key: 'error.notFound' });
  await db.tx(async (tx) => {
    await repo.revokeInvite(tx, inv.id);
    await recordAudit(tx, audit(a, 'network.invite.revoke', 'network_invite', inv.id, inv.unit_id));
  });
}
