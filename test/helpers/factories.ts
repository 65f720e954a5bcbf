import type { Db } from '../../src/db/client.js';
import { grantRole, insertUser } from '../../src/platform/auth/repo.js';
import type { Deps } from '../../src/http/context.js';
import * as crisis from '../../src/modules/crisis/service.js';
import { parseItemForm } from '../../src/modules/desk/service/forms.js';
import { submitReport } from '../../src/modules/mailbox/public.js';
import { saveCategory, saveRule } from '../../src/modules/mailbox/service/setup.js';
import * as network from '../../src/modules/network/repo.js';
import { createCampaign } from '../../src/modules/network/service/campaigns.js';
import { campaignSchema } from '../../src/modules/network/service/forms.js';
import { createGroup } from '../../src/modules/network/service/members.js';
import * as desk from '../../src/modules/desk/service.js';
import { submitClaim } from '../../src/modules/desk/public.js';
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
  deps: Pick<Deps, 'db' | 'config' | 'state'>,
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
  await desk.approve(deps, reviewer, id, v!.version);
  if (status === 'published') await desk.publish(deps, reviewer, id, null);
  return id;
}

/** A fact-check (verdict 'sai', one source) through makeItem; `form` overrides its fields. */
export function makeFactcheck(
  deps: Pick<Deps, 'db' | 'config' | 'state'>,
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

/** A mailbox category saved through the set-up service by `admin` (an admin of the installation's top unit). */
export async function makeCategory(
  deps: Pick<Deps, 'db' | 'state'>,
  admin: number,
  o: { code: string; name: string; nameEn?: string; days?: number },
): Promise<number> {
  return saveCategory(deps, await actorOf(deps.db, admin), null, {
    code: o.code,
    name: o.name,
    name_en: o.nameEn ?? o.name,
    handling_days: String(o.days ?? 10),
    active: true,
  });
}

/** A routing rule saved through the set-up service by `admin`: reports on `unit` (codes) in `category` go to `agency`. */
export async function makeRoute(
  deps: Pick<Deps, 'db' | 'state'>,
  admin: number,
  o: { unit: string; agency: string; category?: string },
): Promise<void> {
  await saveRule(deps, await actorOf(deps.db, admin), { ...o, category: o.category ?? null });
}

let reportSeq = 0;

/** A resident's report about `unit` in `category`, filed through the mailbox's own rules as a chat would file it. */
export async function makeReport(
  deps: Deps,
  o: { unit: Unit; category: number; description?: string; phone?: string; email?: string },
): Promise<{ id: number; code: string }> {
  const r = await submitReport(
    deps,
    {
      category: o.category,
      unit: o.unit.id,
      description: o.description ?? 'Đèn đường trước nhà số 12 không sáng đã hơn một tuần, buổi tối rất tối.',
      phone: o.phone ?? null,
      email: o.email ?? null,
    },
    { locale: 'vi', idempotencyKey: `factory-${process.pid}-${++reportSeq}` },
  );
  const row = await deps.db.one<{ id: number }>(`SELECT id FROM mailbox_reports WHERE code = $1`, [r.code]);
  return { id: row!.id, code: r.code };
}

/**
 * An incident opened on `unit` by `by` (who manages crisis there) through the crisis service; with `statement`,
 * a notice is drafted, submitted and released by `reviewer` too. Returns the incident's and the statement's ids.
 */
export async function makeIncident(
  deps: Deps,
  o: {
    by: number;
    unit: Unit;
    affected?: Unit[];
    title?: string;
    titleEn?: string;
    severity?: 'minor' | 'moderate' | 'severe' | 'extreme';
    statement?: { reviewer: number; title?: string; body?: string };
  },
): Promise<{ id: number; statement?: number }> {
  const { db } = deps;
  const by = await actorOf(db, o.by);
  const title = o.title ?? 'Mưa lớn gây ngập úng cục bộ';
  const id = await crisis.openIncident(deps, by, {
    title,
    titleEn: o.titleEn ?? null,
    type: 'natural',
    severity: o.severity ?? 'moderate',
    summary: 'Mưa lớn làm ngập một số tuyến đường.',
    summaryEn: null,
    unitId: o.unit.id,
    unitIds: (o.affected ?? [o.unit]).map((u) => u.id),
    spokespersonName: 'Nguyễn Thị Phát Ngôn',
    spokespersonTitle: 'Chánh Văn phòng',
    spokespersonPhone: '0234 3822 000',
    spokespersonEmail: 'phatngon@example.org',
    hotlines: 'Cứu hộ, cứu nạn: 112',
    publicAlert: false,
    areaPolygon: null,
    areaCircle: null,
  });
  if (!o.statement) return { id };
  const statement = await crisis.draftStatement(db, by, {
    incidentId: id,
    unitId: o.unit.id,
    kind: 'notice',
    refersTo: null,
    title: o.statement.title ?? `Thông báo: ${title}`,
    titleEn: null,
    body: o.statement.body ?? 'Người dân không đi qua các đoạn đường bị ngập.',
    bodyEn: null,
    listIds: [],
  });
  await crisis.submitStatement(db, by, statement);
  await crisis.releaseStatement(deps, await actorOf(db, o.statement.reviewer), statement, {
    baseUrl: deps.config.baseUrl,
    orgName: deps.config.ORG_NAME,
  });
  return { id, statement };
}

/** A network group on `unit`, made through the network service by `leader` (who leads the network there). */
export async function makeGroup(db: Db, leader: number, o: { unit: Unit; name: string }): Promise<number> {
  await createGroup(db, await actorOf(db, leader), { unit: String(o.unit.id), name: o.name });
  const g = await db.one<{ id: number }>(`SELECT id FROM network_groups WHERE unit_id = $1 AND name = $2`, [
    o.unit.id,
    o.name,
  ]);
  return g!.id;
}

/**
 * A network member of `unit` (the member role, as a leader's approval grants it; password demo1234), in `group` if
 * given. The join-by-invitation steps themselves are the network tests' business.
 */
export async function makeMember(
  db: Db,
  o: { email: string; name?: string; unit: Unit; group?: number },
): Promise<number> {
  const id = await makeUser(db, { email: o.email, name: o.name, role: 'member', unit: o.unit });
  await network.logMembership(db, id, o.unit.id, 'joined');
  if (o.group) await network.addToGroup(db, o.group, id);
  return id;
}

/**
 * A campaign organised by `by` through the network service, for `units` (default: the organiser's own), running
 * from yesterday for a week; `form` overrides the organiser's form fields (items, links, caption…).
 */
export async function makeCampaign(
  deps: Pick<Deps, 'db' | 'config'>,
  o: { by: number; units: Unit[]; title?: string; form?: Record<string, string | string[]> },
): Promise<number> {
  const day = (d: number) => new Date(Date.now() + 7 * 3600_000 + d * 86400_000).toISOString().slice(0, 10);
  const r = await createCampaign(
    deps.db,
    await actorOf(deps.db, o.by),
    campaignSchema(deps.config.baseUrl).parse({
      title: o.title ?? 'Chia sẻ thông tin phòng chống lừa đảo',
      message: 'Mời các bạn chia sẻ bài viết này với người thân.',
      starts: day(-1),
      ends: day(6),
      units: o.units.map((u) => String(u.id)),
      links: '/policies/about',
      ...o.form,
    }),
  );
  return r.id;
}

/**
 * A claim filed through the desk's intake (as the API or a chat files it; `unit` none for a city-wide one), clustered
 * and matched like any other. Returns its tracking code and its cluster.
 */
export async function makeClaim(
  deps: Deps,
  o: { text: string; unit?: Unit; source?: 'api' | 'public'; email?: string },
): Promise<{ code: string; cluster: number }> {
  const r = await submitClaim(deps, {
    text: o.text,
    unitId: o.unit?.id ?? null,
    contactEmail: o.email ?? null,
    source: o.source ?? 'api',
  });
  const row = await deps.db.one<{ cluster_id: number }>(`SELECT cluster_id FROM desk_claims WHERE code = $1`, [r.code]);
  return { code: r.code, cluster: row!.cluster_id };
}
