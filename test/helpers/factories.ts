import type { Db } from '../../src/db/client.js';
import { grantRole, insertUser } from '../../src/platform/auth/repo.js';
import type { Deps } from '../../src/http/context.js';
import { parseItemForm } from '../../src/modules/desk/forms.js';
import * as desk from '../../src/modules/desk/service.js';
import { hashPassword, loadPrincipal } from '../../src/platform/auth/service.js';
import type { Actor, Principal, Role } from '../../src/platform/auth/permissions.js';
import { demoAgencies, demoCommunes, demoProvince } from '../../src/platform/demo/units.js';
import { upsertAgency, upsertUnit } from '../../src/platform/units/repo.js';

export const STAFF_ROLES = ['admin', 'editor', 'reviewer', 'handler', 'member'] as const satisfies readonly Role[];

export interface Unit {
  id: number;
  path: string;
  code: string;
  name: string;
}

export interface Account {
  id: number;
  email: string;
  role: Role;
  unit: Unit;
}

export async function findUnit(db: Db, id: number): Promise<Unit> {
  const u = await db.one<Unit>(`SELECT id, path::text AS path, code, full_name AS name FROM units WHERE id = $1`, [id]);
  if (!u) throw new Error(`no unit ${id}`);
  return u;
}

export async function findUnitByName(db: Db, name: string): Promise<Unit> {
  const u = await db.one<Unit>(
    `SELECT id, path::text AS path, code, full_name AS name FROM units WHERE full_name = $1`,
    [name],
  );
  if (!u) throw new Error(`no unit ${name}`);
  return u;
}

let unitSeq = 0;
const PREFIXES = /^(Thành phố|Tỉnh|Phường|Xã|Đặc khu) /;

/** A unit under `parent` (top level without one), saved the way the units import saves it. */
export async function makeUnit(
  db: Db,
  o: { name: string; parent?: Unit; level?: 'municipality' | 'province' | 'ward' | 'commune'; code?: string },
): Promise<Unit> {
  const level = o.level ?? (o.parent ? 'ward' : 'province');
  const code = o.code ?? `T${process.pid % 1000}${++unitSeq}`;
  const id = await upsertUnit(db, {
    code,
    name: o.name.replace(PREFIXES, ''),
    fullName: o.name,
    type: level,
    parentId: o.parent?.id ?? null,
  });
  return findUnit(db, id);
}

/**
 * A real unit of Thành phố Huế by its official code ('46' the city, '19753' Phường Phú Xuân, '19789' Phường Thuận Hoá,
 * '19777' Vỹ Dạ, '19815' An Cựu, '19900' Thuận An, '19945' Xã Phú Vinh), its parent made first; the same rows the demo has.
 */
export async function realUnit(db: Db, code: string): Promise<Unit> {
  const found = await db.one<Unit>(
    `SELECT id, path::text AS path, code, full_name AS name FROM units WHERE code = $1`,
    [code],
  );
  if (found) return found;
  if (code === demoProvince.code) return findUnit(db, await upsertUnit(db, { ...demoProvince, parentId: null }));
  const c = demoCommunes.find((x) => x.code === code);
  if (!c) throw new Error(`no reference unit ${code}`);
  const city = await realUnit(db, demoProvince.code);
  return findUnit(db, await upsertUnit(db, { ...c, parentId: city.id }));
}

/** A real agency of Huế by code ('HUE-STNMT', 'HUE-SXD', 'HUE-CA', 'HUE-TH-UBND', 'HUE-PX-UBND'), its unit made first. */
export async function realAgency(db: Db, code: string): Promise<number> {
  const a = demoAgencies.find((x) => x.code === code);
  if (!a) throw new Error(`no reference agency ${code}`);
  const unit = await realUnit(db, a.unit);
  return upsertAgency(db, { unitId: unit.id, code: a.code, name: a.name, nameEn: a.nameEn });
}

/** Thành phố Huế, its six wards and communes and its five agencies (the demo's reference rows), units by code. */
export async function realCity(db: Db): Promise<Record<string, Unit>> {
  const out: Record<string, Unit> = { [demoProvince.code]: await realUnit(db, demoProvince.code) };
  for (const c of demoCommunes) out[c.code] = await realUnit(db, c.code);
  for (const a of demoAgencies) await realAgency(db, a.code);
  return out;
}

let sharedHash: Promise<string> | null = null;

/** An account with one role on one unit; every factory account shares one password hash (hashing is slow). */
export async function makeUser(
  db: Db,
  o: { email: string; name?: string; role?: Role; unit?: Unit; agency?: number; password?: string },
): Promise<number> {
  const hash = o.password ? await hashPassword(o.password) : await (sharedHash ??= hashPassword('demo1234'));
  const id = await insertUser(db, { email: o.email, name: o.name ?? o.email.split('@')[0], passwordHash: hash });
  if (o.role && o.unit) await grantRole(db, id, o.role, o.unit.id, o.agency);
  return id;
}

/** One account of every staff role on `unit` (password demo1234), e-mailed `role@tag.test`. */
export async function makeStaffSet(
  db: Db,
  unit: Unit,
  tag: string,
): Promise<Record<(typeof STAFF_ROLES)[number], Account>> {
  const out = {} as Record<(typeof STAFF_ROLES)[number], Account>;
  for (const role of STAFF_ROLES) {
    const email = `${role}@${tag}.test`;
    out[role] = { id: await makeUser(db, { email, name: `${role} ${unit.name}`, role, unit }), email, role, unit };
  }
  return out;
}

const CITY_STAFF_NAMES: Record<(typeof STAFF_ROLES)[number], string> = {
  admin: 'Nguyễn Văn Quản',
  editor: 'Trần Thị Biên',
  reviewer: 'Lê Minh Duyệt',
  handler: 'Phạm Thu Xử',
  member: 'Hoàng Văn Chia',
};

/**
 * Huế's staff the way the demo has them: admin, editor, reviewer and handler on the city ('46'), the member on
 * Phường Phú Xuân ('19753'), named as in the demo, e-mailed `role@tag.test`, password demo1234.
 */
export async function makeCityStaff(db: Db, tag: string): Promise<Record<(typeof STAFF_ROLES)[number], Account>> {
  const city = await realUnit(db, '46');
  const ward = await realUnit(db, '19753');
  const out = {} as Record<(typeof STAFF_ROLES)[number], Account>;
  for (const role of STAFF_ROLES) {
    const unit = role === 'member' ? ward : city;
    const email = `${role}@${tag}.test`;
    out[role] = { id: await makeUser(db, { email, name: CITY_STAFF_NAMES[role], role, unit }), email, role, unit };
  }
  return out;
}

/** The actor a service takes for the account `userId` (as signed in, from no address). */
export async function actorOf(db: Db, userId: number): Promise<Actor & { who: Principal }> {
  const principal = await loadPrincipal(db, userId, 'session');
  if (!principal) throw new Error(`no active account ${userId}`);
  // `who`: the name older module services still read the principal under, until they all take Actor
  return Object.assign({ principal, ip: null }, { who: principal });
}

type ItemStatus = 'draft' | 'in_review' | 'approved' | 'published';

/**
 * A desk piece written by `author` and taken through the desk service to `status` (draft by default); `reviewer`
 * (another account) approves and publishes it. `form`: the editor's form fields over a plain article's.
 */
export async function makeItem(
  deps: Pick<Deps, 'db' | 'config'>,
  o: { author: number; reviewer?: number; status?: ItemStatus; form?: Record<string, string> },
): Promise<number> {
  const { db } = deps;
  const verdicts = (await db.query<{ code: string }>(`SELECT code FROM desk_verdicts`)).map((v) => v.code);
  const body = { kind: 'article', title: 'Lịch tiếp công dân', summary: 'Tóm tắt.', body: 'Nội dung.', ...o.form };
  const parsed = parseItemForm(body, 'vi', verdicts);
  if (!parsed.ok) throw new Error(`bad item form: ${JSON.stringify(parsed.errors)}`);
  const author = await actorOf(db, o.author);
  const id = await desk.createItem(db, author, parsed.data);
  const status = o.status ?? 'draft';
  if (status === 'draft') return id;
  await desk.submitForReview(db, author, id);
  if (status === 'in_review') return id;
  if (!o.reviewer) throw new Error('an approved piece needs a reviewer other than its author');
  const reviewer = await actorOf(db, o.reviewer);
  const v = await db.one<{ version: number }>(`SELECT version FROM desk_items WHERE id = $1`, [id]);
  await desk.approve(db, reviewer, id, v!.version);
  if (status === 'published') await desk.publish(db, reviewer, id, null, deps.config.baseUrl);
  return id;
}

/** A fact-check (verdict 'sai', one source) through makeItem; `form` overrides its fields. */
export function makeFactcheck(
  deps: Pick<Deps, 'db' | 'config'>,
  o: { author: number; reviewer?: number; status?: ItemStatus; form?: Record<string, string> },
): Promise<number> {
  const form = {
    kind: 'factcheck',
    title: 'Không có chuyện cắt nước toàn thành phố',
    claim: 'Thành phố cắt nước sinh hoạt 5 ngày liên tiếp.',
    verdict: 'sai',
    summary: 'Sai. Chỉ tạm ngừng 6 giờ ở một phường.',
    body: 'Chúng tôi đã hỏi công ty cấp nước.',
    method: 'Liên hệ đơn vị cấp nước.',
    sources: 'Thông báo tạm ngừng cấp nước | Công ty cấp nước | 2026-11-05 | https://example.org/cap-nuoc',
    ...o.form,
  };
  return makeItem(deps, { ...o, form });
}
