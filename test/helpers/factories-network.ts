/** Network factories: Huế's members and groups, join requests, past campaigns (courses: factories-training.ts). */
import { vi } from 'vitest';
import type { Deps } from '../../src/http/context.js';
import * as network from '../../src/modules/network/repo.js';
import { confirmJoin, createInvite, requestToJoin } from '../../src/modules/network/service/members.js';
import type { Db } from '../../src/db/client.js';
import {
  type Account,
  actorOf,
  makeCampaign,
  makeCityStaff,
  makeGroup,
  makeMember,
  realCity,
  type STAFF_ROLES,
  type Unit,
} from './factories.js';

const DAY = 86400_000;
const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Phan', 'Võ', 'Đặng', 'Bùi', 'Đỗ'];
const MIDDLE = ['Thị', 'Văn', 'Minh', 'Ngọc', 'Hữu', 'Thanh'];
const GIVEN = ['An', 'Bình', 'Chi', 'Dũng', 'Giang', 'Hà', 'Hiếu', 'Hoa', 'Khánh', 'Lan', 'Long', 'Mai', 'Nam'];

export interface NetworkMember {
  id: number;
  email: string;
  name: string;
  unit: Unit;
}

export interface CityNetwork {
  staff: Record<(typeof STAFF_ROLES)[number], Account>;
  /** The city ('46') and the wards by name: Phú Xuân, Thuận Hoá, Vỹ Dạ, An Cựu (members) and Thuận An (none). */
  city: Unit;
  phuXuan: Unit;
  thuanHoa: Unit;
  vyDa: Unit;
  anCuu: Unit;
  thuanAn: Unit;
  /** 'Tổ chia sẻ khu vực Phú Xuân' (the staff member and four others), 'Đoàn thanh niên phường Thuận Hoá' (five). */
  groups: { phuXuan: number; thuanHoa: number };
  /** Every member but the staff member, by ward: Phú Xuân 8, Thuận Hoá 7, Vỹ Dạ 6, An Cựu 5. */
  members: NetworkMember[];
}

/**
 * Huế's sharing network the way the demo has it: the city's staff (makeCityStaff, the member on Phú Xuân), the two
 * groups made by the city editor, and 26 more members (thanhvienN@tag.test, no password needed) so the city counts
 * 27: Phú Xuân 9 with the staff member, Thuận Hoá 7, Vỹ Dạ 6, An Cựu 5, the first four of Phú Xuân and five of
 * Thuận Hoá in their ward's group.
 */
export async function makeCityNetwork(db: Db, tag: string): Promise<CityNetwork> {
  const units = await realCity(db);
  const staff = await makeCityStaff(db, tag);
  const [city, phuXuan, thuanHoa, vyDa, anCuu, thuanAn] = ['46', '19753', '19789', '19777', '19815', '19900'].map(
    (code) => units[code],
  );
  const groups = {
    phuXuan: await makeGroup(db, staff.editor.id, { unit: phuXuan, name: 'Tổ chia sẻ khu vực Phú Xuân' }),
    thuanHoa: await makeGroup(db, staff.editor.id, { unit: thuanHoa, name: 'Đoàn thanh niên phường Thuận Hoá' }),
  };
  // the staff member joined Phú Xuân's network the way makeMember joins one
  await network.logMembership(db, staff.member.id, phuXuan.id, 'joined');
  await network.addToGroup(db, groups.phuXuan, staff.member.id);
  const members: NetworkMember[] = [];
  const perUnit: [Unit, number, number | null, number][] = [
    [phuXuan, 8, groups.phuXuan, 4],
    [thuanHoa, 7, groups.thuanHoa, 5],
    [vyDa, 6, null, 0],
    [anCuu, 5, null, 0],
  ];
  let k = 0;
  for (const [unit, count, group, inGroup] of perUnit) {
    for (let i = 0; i < count; i++, k++) {
      const name = `${FAMILY[k % FAMILY.length]} ${MIDDLE[k % MIDDLE.length]} ${GIVEN[k % GIVEN.length]}`;
      const email = `thanhvien${k + 1}@${tag}.test`;
      const id = await makeMember(db, { email, name, unit, group: i < inGroup ? (group ?? undefined) : undefined });
      members.push({ id, email, name, unit });
    }
  }
  return { staff, city, phuXuan, thuanHoa, vyDa, anCuu, thuanAn, groups, members };
}

/**
 * A pending join request waiting for a leader's decision: `by` (a leader of `unit`) makes an invitation, the
 * newcomer asks to join through it and confirms the address with the link of the mail the service queued (choosing
 * a password: a new account). The confirmation mail stays queued like any other.
 */
export async function makeJoinRequest(
  deps: Pick<Deps, 'db' | 'config'>,
  by: number,
  o: { unit: Unit; group?: number; name: string; email: string; phone?: string },
): Promise<number> {
  const { db } = deps;
  const base = deps.config.baseUrl;
  const { url } = await createInvite(
    db,
    await actorOf(db, by),
    { unit: String(o.unit.id), group: o.group ? String(o.group) : '', days: 30 },
    base,
  );
  await requestToJoin(db, url.split('/').pop()!, { name: o.name, email: o.email, phone: o.phone ?? '' }, 'vi', base);
  const sent = await db.one<{ id: string; url: string }>(
    `SELECT ref_id AS id, vars->>'url' AS url FROM notifications WHERE ref_type = 'network.join' AND recipient = $1
     ORDER BY id DESC LIMIT 1`,
    [o.email],
  );
  await confirmJoin(db, sent!.url.split('/').pop()!, 'matkhau-nguoi-moi');
  return Number(sent!.id);
}

/**
 * A campaign organised `startedDaysAgo` days ago and running `days` days (over already when it is shorter), made
 * through makeCampaign with the clock set back to that day: the service refuses to start a campaign already over.
 */
export async function makePastCampaign(
  deps: Pick<Deps, 'db' | 'config'>,
  o: { by: number; units: Unit[]; title: string; startedDaysAgo: number; days: number; links?: string },
): Promise<number> {
  const then = Date.now() - o.startedDaysAgo * DAY;
  const vnDay = (t: number) => new Date(t + 7 * 3600_000).toISOString().slice(0, 10);
  vi.useFakeTimers({ toFake: ['Date'], now: then });
  try {
    return await makeCampaign(deps, {
      by: o.by,
      units: o.units,
      title: o.title,
      form: { starts: vnDay(then), ends: vnDay(then + (o.days - 1) * DAY), ...(o.links ? { links: o.links } : {}) },
    });
  } finally {
    vi.useRealTimers();
  }
}

/**
 * The storm-season campaign running for `units` (five days in, twenty to go) with two official pages to share, made
 * through makeCampaign by `by`: the running campaign the network's pages show.
 */
export function makeStormCampaign(deps: Pick<Deps, 'db' | 'config'>, o: { by: number; units: Unit[] }) {
  const iso = (d: number) => new Date(Date.now() + d * DAY).toISOString().slice(0, 10);
  return makeCampaign(deps, {
    by: o.by,
    units: o.units,
    title: 'Mùa mưa bão: theo dõi thông tin chính thức',
    form: {
      starts: iso(-5),
      ends: iso(20),
      links: 'Cổng thông tin Cầu Nối: thông tin chính thống | /\nGhi nhận thành viên tích cực | /network/recognition',
    },
  });
}
