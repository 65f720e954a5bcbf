/** Demo network: members in several wards, groups, three campaigns with clicks and shares, the demo courses. */
import type { Deps } from '../../http/context.js';
import type { DemoContext } from '../../http/module.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { grantRole } from '../../platform/auth/repo.js';
import { createUser } from '../../platform/auth/service.js';
import { recentPublished } from '../desk/public.js';
import { demoCourses } from './service/courses.js';
import * as repo from './repo.js';

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Phan', 'Võ', 'Đặng', 'Bùi', 'Đỗ'];
const MIDDLE = ['Thị', 'Văn', 'Minh', 'Ngọc', 'Hữu', 'Thanh'];
const GIVEN = [
  'An',
  'Bình',
  'Chi',
  'Dũng',
  'Giang',
  'Hà',
  'Hiếu',
  'Hoa',
  'Khánh',
  'Lan',
  'Long',
  'Mai',
  'Nam',
  'Nhung',
  'Phúc',
  'Quân',
  'Sương',
  'Tâm',
  'Thảo',
  'Trung',
  'Tú',
  'Uyên',
  'Vy',
  'Yến',
];
const DAY = 86400_000;

export async function seedNetworkDemo(deps: Deps, demo: DemoContext): Promise<void> {
  const db = deps.db;
  const [phuXuan, thuanHoa, vyDa, anCuu] = demo.communeIds;
  const perUnit: [number, number][] = [
    [phuXuan, 8],
    [thuanHoa, 7],
    [vyDa, 6],
    [anCuu, 5],
  ];
  const now = Date.now();
  // groups
  const gPX = await repo.insertGroup(db, phuXuan, 'Tổ chia sẻ khu vực Phú Xuân');
  const gTH = await repo.insertGroup(db, thuanHoa, 'Đoàn thanh niên phường Thuận Hoá');
  // members (no password: they would set one through "forgot password")
  let k = 0;
  const memberIds: number[] = [demo.users.member];
  await db.query(
    `UPDATE role_grants SET created_at = now() - interval '150 days' WHERE user_id = $1 AND role = 'member'`,
    [demo.users.member],
  );
  await repo.logMembership(db, demo.users.member, phuXuan, 'joined');
  await repo.addToGroup(db, gPX, demo.users.member);
  for (const [unitId, count] of perUnit) {
    for (let i = 0; i < count; i++, k++) {
      const name = `${FAMILY[k % FAMILY.length]} ${MIDDLE[k % MIDDLE.length]} ${GIVEN[k % GIVEN.length]}`;
      const id = await createUser(db, { email: `thanhvien${k + 1}@demo.local`, name, password: null }, 'demo-seed');
      await grantRole(db, id, 'member', unitId);
      await db.query(
        `UPDATE role_grants SET created_at = now() - make_interval(days => $2) WHERE user_id = $1 AND role = 'member'`,
        [id, 30 + ((k * 7) % 150)],
      );
      await repo.logMembership(db, id, unitId, 'joined');
      if (unitId === phuXuan && i < 4) await repo.addToGroup(db, gPX, id);
      if (unitId === thuanHoa && i < 5) await repo.addToGroup(db, gTH, id);
      memberIds.push(id);
    }
  }
  // a pending join request and an invitation link
  const inv = await repo.insertInvite(db, {
    token: 'demo-moi-phu-xuan',
    unitId: phuXuan,
    groupId: gPX,
    createdBy: demo.users.editor,
    expiresAt: new Date(now + 30 * DAY),
  });
  await repo.insertJoinRequest(db, {
    inviteId: inv,
    unitId: phuXuan,
    groupId: gPX,
    email: 'nguoimoi@demo.local',
    name: 'Trương Thị Mới',
    phone: '0905123456',
    passwordHash: null,
  });

  // campaigns: items from the desk when it has published content, pages of the portal otherwise
  const desk = await recentPublished(db, { limit: 4 }).catch(() => []);
  const pick = (i: number, fallback: { title: string; url: string }) =>
    desk[i]
      ? { kind: desk[i].kind, refId: desk[i].id, title: desk[i].title, url: desk[i].url }
      : { kind: 'link', refId: null, ...fallback };
  const campaigns = [
    {
      title: 'Hướng dẫn gửi phản ánh qua Hộp thư kết nối',
      message: 'Giúp bà con biết cách gửi phản ánh và theo dõi câu trả lời của chính quyền.',
      start: now - 95 * DAY,
      end: now - 65 * DAY,
      items: [pick(2, { title: 'Hộp thư kết nối: gửi phản ánh, kiến nghị', url: '/mailbox' })],
      units: [demo.provinceId],
      groups: [] as number[],
    },
    {
      title: 'Cảnh giác cuộc gọi giả danh công an',
      message: 'Chia sẻ cảnh báo về chiêu lừa giả danh công an yêu cầu chuyển tiền.',
      start: now - 40 * DAY,
      end: now - 20 * DAY,
      items: [pick(1, { title: 'Hỏi: tin này có đúng không?', url: '/claims/new' })],
      units: [phuXuan, thuanHoa],
      groups: [],
    },
    {
      title: 'Mùa mưa bão: theo dõi thông tin chính thức',
      message: 'Chia sẻ kênh thông tin chính thức của thành phố trong mùa mưa bão, để bà con không tin theo tin đồn.',
      start: now - 5 * DAY,
      end: now + 20 * DAY,
      items: [
        pick(0, { title: 'Cổng thông tin Cầu Nối: thông tin chính thống', url: '/' }),
        { kind: 'link', refId: null, title: 'Ghi nhận thành viên tích cực', url: '/network/recognition' },
      ],
      units: [demo.provinceId],
      groups: [],
    },
  ];
  for (const [ci, c] of campaigns.entries()) {
    const id = await repo.insertCampaign(db, {
      title: c.title,
      message: c.message,
      unitId: demo.provinceId,
      createdBy: demo.users.editor,
      startsAt: new Date(c.start),
      endsAt: new Date(c.end),
      audience: 0,
    });
    await repo.insertItems(db, id, c.items);
    await repo.insertTargets(db, id, c.units, c.groups);
    await repo.insertRecipients(db, id);
    await repo.finishFanout(db, id);
    // opened by most, shares and clicks spread over the campaign (the demo member's own activity is left for them)
    await db.query(
      `UPDATE network_recipients SET notified_at = $2, opened_at = CASE WHEN (user_id * 7 + $3) % 10 < 7 AND user_id <> $4 THEN $2::timestamptz + make_interval(hours => (user_id % 48)) END WHERE campaign_id = $1`,
      [id, new Date(c.start), ci, demo.users.member],
    );
    await db.query(
      `INSERT INTO network_shares (campaign_id, item_id, user_id, unit_id, channel, at)
       SELECT r.campaign_id, i.id, r.user_id, r.unit_id, (ARRAY['facebook','zalo','zalo','x'])[1 + (r.user_id % 4)], r.opened_at + interval '20 minutes'
       FROM network_recipients r JOIN network_campaign_items i ON i.campaign_id = r.campaign_id AND i.position = 1
       WHERE r.campaign_id = $1 AND r.opened_at IS NOT NULL AND (r.user_id + $2) % 3 <> 0`,
      [id, ci],
    );
    await db.query(
      `INSERT INTO network_clicks (campaign_id, item_id, user_id, unit_id, at)
       SELECT s.campaign_id, s.item_id, s.user_id, s.unit_id, s.at + make_interval(mins => g * 37)
       FROM network_shares s, generate_series(1, 12) g WHERE s.campaign_id = $1 AND g <= 2 + (s.user_id * 5 + $2) % 11`,
      [id, ci],
    );
  }

  // courses, assignments, progress and certificates
  const courseIds: number[] = [];
  for (const c of demoCourses) courseIds.push(await repo.upsertCourse(db, c));
  const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
  await repo.insertAssignment(db, {
    courseId: courseIds[0],
    unitId: demo.provinceId,
    groupId: null,
    dueDate: iso(now + 14 * DAY),
    by: demo.users.editor,
  });
  await repo.insertAssignment(db, {
    courseId: courseIds[1],
    unitId: demo.provinceId,
    groupId: null,
    dueDate: iso(now + 30 * DAY),
    by: demo.users.editor,
  });
  await repo.insertAssignment(db, {
    courseId: courseIds[2],
    unitId: thuanHoa,
    groupId: null,
    dueDate: iso(now - 7 * DAY),
    by: demo.users.editor,
  });
  await repo.insertAssignment(db, {
    courseId: courseIds[3],
    unitId: null,
    groupId: gPX,
    dueDate: iso(now + 21 * DAY),
    by: demo.users.editor,
  });
  for (const [i, uid] of memberIds.entries()) {
    if (uid === demo.users.member) continue;
    const course = i % 3 === 0 ? courseIds[0] : i % 3 === 1 ? courseIds[1] : courseIds[2];
    if (i % 4 === 3) continue;
    const lessons = await repo.lessonsOf(db, course);
    for (const l of lessons) await repo.completeLesson(db, uid, l.id);
    const pass = i % 5 !== 0;
    await repo.insertAttempt(db, uid, course, pass ? 100 : 50, pass);
    if (pass) await repo.issueCertificate(db, `CN-DEMO-${String(uid).padStart(4, '0')}-${course}`, uid, course, 100);
  }
  // the demo member has read the first lesson of the first course
  await repo.completeLesson(db, demo.users.member, (await repo.lessonsOf(db, courseIds[0]))[0].id);

  // recognition
  const c1 = await repo.insertCommendation(db, {
    userId: memberIds[1],
    unitId: phuXuan,
    reason: 'Chia sẻ đều đặn thông tin chính thống trong mùa mưa bão.',
    createdBy: demo.users.editor,
  });
  await repo.setCommendationPublic(db, c1, memberIds[1], true);
  await repo.insertCommendation(db, {
    userId: null,
    unitId: thuanHoa,
    reason: 'Đơn vị có tỷ lệ hoàn thành khóa học kỹ năng số cao nhất quý.',
    createdBy: demo.users.editor,
  });
  await repo.insertCommendation(db, {
    userId: demo.users.member,
    unitId: phuXuan,
    reason: 'Phát hiện và gửi sớm tin giả về cắt điện diện rộng.',
    createdBy: demo.users.editor,
  });
  await recordAudit(db, {
    actorLabel: 'demo-seed',
    action: 'network.demo',
    entityType: 'network',
    data: { members: memberIds.length, campaigns: campaigns.length, courses: courseIds.length },
  });
}
