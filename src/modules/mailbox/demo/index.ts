/** Demo data: categories, routing rules and realistic reports in every state over the last 12 months. */
import type { Deps } from '../../../http/context.js';
import type { DemoContext } from '../../../http/module.js';
import { addWorkingDays } from '../service/deadline.js';
import * as repo from '../repo.js';
import { seedPracticeDemo } from './redaction.js';
import { createReport, forgetCachedConfig, holidaySet, publicChanged } from '../service.js';

export const DEMO_CATEGORIES = [
  {
    code: 'dat-dai',
    name: 'Đất đai',
    nameEn: 'Land',
    handlingDays: 15,
    description: 'Tranh chấp, lấn chiếm, giấy chứng nhận quyền sử dụng đất',
  },
  {
    code: 'xay-dung',
    name: 'Xây dựng và trật tự đô thị',
    nameEn: 'Construction and urban order',
    handlingDays: 10,
    description: 'Xây dựng không phép, lấn chiếm vỉa hè, quảng cáo sai quy định',
  },
  {
    code: 'moi-truong',
    name: 'Môi trường',
    nameEn: 'Environment',
    handlingDays: 7,
    description: 'Rác thải, nước thải, tiếng ồn, khói bụi',
  },
  {
    code: 'an-ninh',
    name: 'An ninh, trật tự',
    nameEn: 'Public order and security',
    handlingDays: 5,
    description: 'Gây rối, tụ tập, trộm cắp',
  },
  {
    code: 'giao-thong',
    name: 'Giao thông',
    nameEn: 'Traffic',
    handlingDays: 7,
    description: 'Đường hư hỏng, đèn tín hiệu, biển báo, đèn đường',
  },
  {
    code: 'dich-vu-cong',
    name: 'Dịch vụ công',
    nameEn: 'Public services',
    handlingDays: 10,
    description: 'Thủ tục hành chính, điện, nước, y tế, giáo dục',
  },
  { code: 'khac', name: 'Khác', nameEn: 'Other', handlingDays: 10, description: 'Các vấn đề khác' },
];

const STREETS = [
  'Lê Lợi',
  'Hùng Vương',
  'Trần Hưng Đạo',
  'Nguyễn Huệ',
  'Bà Triệu',
  'Điện Biên Phủ',
  'Phan Đình Phùng',
  'Lý Thường Kiệt',
  'Nguyễn Sinh Cung',
  'Đống Đa',
  'Hà Nội',
  'Ngự Bình',
];

const TEXTS: Record<string, { t: string; d: string; a: string }[]> = {
  'dat-dai': [
    {
      t: 'Lấn chiếm đất công tại kiệt {n} đường {s}',
      d: 'Hộ gia đình ở cuối kiệt {n} đường {s} xây tường rào lấn ra phần đất công khoảng 2 mét, làm hẹp lối đi chung của 12 hộ dân.',
      a: 'UBND phường đã kiểm tra hiện trường, lập biên bản vi phạm và yêu cầu hộ gia đình tháo dỡ phần tường rào lấn chiếm trong 10 ngày. Đến nay lối đi đã được trả lại nguyên trạng.',
    },
    {
      t: 'Chậm cấp giấy chứng nhận quyền sử dụng đất',
      d: 'Tôi nộp hồ sơ cấp giấy chứng nhận quyền sử dụng đất từ 3 tháng trước tại bộ phận một cửa nhưng đến nay chưa nhận được kết quả, cũng không được thông báo lý do.',
      a: 'Hồ sơ của ông/bà cần bổ sung trích đo địa chính. Văn phòng Đăng ký đất đai đã liên hệ trực tiếp để hướng dẫn và cam kết trả kết quả trong 7 ngày làm việc sau khi nhận đủ hồ sơ.',
    },
  ],
  'xay-dung': [
    {
      t: 'Công trình xây dựng không phép trên đường {s}',
      d: 'Số nhà {n} đường {s} đang xây thêm tầng 4, không treo biển báo giấy phép xây dựng, vật liệu đổ tràn ra vỉa hè gây nguy hiểm cho người đi bộ.',
      a: 'Đội kiểm tra trật tự đô thị đã kiểm tra: công trình chưa có giấy phép cho tầng 4. Đã lập biên bản, đình chỉ thi công và buộc dọn vật liệu khỏi vỉa hè ngay trong ngày.',
    },
    {
      t: 'Quán ăn lấn chiếm vỉa hè đường {s}',
      d: 'Các quán ăn từ số {n} đến số {m} đường {s} bày bàn ghế kín vỉa hè vào buổi tối, người đi bộ phải đi xuống lòng đường.',
      a: 'Lực lượng trật tự đô thị phường đã nhắc nhở, xử phạt 3 hộ kinh doanh và sẽ tăng cường kiểm tra vào khung giờ 18h–22h hằng ngày.',
    },
  ],
  'moi-truong': [
    {
      t: 'Rác thải tồn đọng nhiều ngày ở kiệt {n} {s}',
      d: 'Điểm tập kết rác đầu kiệt {n} đường {s} không được thu gom đã 4 ngày, bốc mùi hôi, ruồi nhặng nhiều, ảnh hưởng đến sức khỏe người dân.',
      a: 'Công ty Môi trường và Công trình đô thị đã thu gom toàn bộ rác tồn đọng và bổ sung lịch thu gom hằng ngày lúc 19h tại điểm này.',
    },
    {
      t: 'Nước thải đổ trực tiếp ra sông gần cầu {s}',
      d: 'Một cơ sở sản xuất gần chân cầu đường {s} xả nước thải màu đen trực tiếp ra sông vào ban đêm, có mùi rất nặng.',
      a: 'Sở Nông nghiệp và Môi trường đã lấy mẫu nước thải; kết quả vượt quy chuẩn. Cơ sở bị xử phạt và buộc lắp đặt hệ thống xử lý trước khi hoạt động trở lại.',
    },
    {
      t: 'Tiếng ồn từ quán karaoke sau 22 giờ',
      d: 'Quán karaoke số {n} đường {s} hát lớn đến 1–2 giờ sáng gần như mỗi đêm, người già và trẻ nhỏ trong khu phố không ngủ được.',
      a: 'Công an phường đã kiểm tra, đo độ ồn và xử phạt cơ sở vì gây tiếng ồn quá mức quy định sau 22 giờ; cơ sở đã cam kết chấm dứt.',
    },
  ],
  'an-ninh': [
    {
      t: 'Nhóm thanh niên tụ tập đua xe trên đường {s}',
      d: 'Khoảng 23h các tối cuối tuần, nhiều nhóm thanh niên tụ tập đua xe, nẹt pô trên đoạn đường {s} gần số {n}, rất nguy hiểm.',
      a: 'Công an thành phố đã bố trí tổ tuần tra cơ động tại khu vực vào các tối cuối tuần; tạm giữ 6 xe mô tô vi phạm.',
    },
    {
      t: 'Mất trộm xe đạp điện tại khu tập thể',
      d: 'Trong tháng này khu tập thể số {n} đường {s} đã bị mất 3 xe đạp điện để ở nhà xe chung, đề nghị tăng cường tuần tra.',
      a: 'Công an phường đã tiếp nhận tin báo, phối hợp ban quản lý khu tập thể lắp camera nhà xe và tăng cường tuần tra ban đêm.',
    },
  ],
  'giao-thong': [
    {
      t: 'Ổ gà lớn trên đường {s}',
      d: 'Đoạn đường {s} trước số nhà {n} có ổ gà sâu khoảng 20 cm, trời mưa đọng nước không nhìn thấy, đã có người ngã xe.',
      a: 'Sở Xây dựng đã chỉ đạo đơn vị duy tu vá ổ gà trong 48 giờ và đặt biển cảnh báo trong thời gian thi công.',
    },
    {
      t: 'Đèn đường hỏng đoạn {s}',
      d: 'Cả dãy đèn đường trên đường {s} đoạn từ số {n} đến số {m} không sáng đã hơn một tuần, buổi tối rất tối và mất an toàn.',
      a: 'Đơn vị quản lý chiếu sáng đã thay bộ điều khiển tủ điện; toàn bộ đèn trên đoạn đường đã sáng trở lại.',
    },
    {
      t: 'Đề nghị lắp đèn tín hiệu ngã tư {s}',
      d: 'Ngã tư {s} giao với đường nhánh gần trường học rất đông học sinh giờ tan trường nhưng chưa có đèn tín hiệu, thường xuyên ùn tắc.',
      a: 'Sở Xây dựng đã đưa nút giao vào kế hoạch lắp đèn tín hiệu năm nay; trước mắt bố trí lực lượng điều tiết giờ cao điểm.',
    },
  ],
  'dich-vu-cong': [
    {
      t: 'Mất nước sinh hoạt kéo dài khu vực {s}',
      d: 'Các hộ dân quanh số {n} đường {s} bị mất nước sinh hoạt 3 ngày liền mà không có thông báo trước.',
      a: 'Công ty cấp nước cho biết do sự cố vỡ ống chính; đã khắc phục xong và sẽ thông báo trước trên loa phường, Zalo khu phố khi cần tạm ngừng cấp nước.',
    },
    {
      t: 'Hướng dẫn thủ tục đăng ký khai sinh trực tuyến',
      d: 'Tôi muốn đăng ký khai sinh cho con qua mạng nhưng không biết nộp ở đâu và cần giấy tờ gì.',
      a: 'Ông/bà nộp hồ sơ tại Cổng Dịch vụ công quốc gia, mục “Liên thông khai sinh”. Cần ảnh chụp giấy chứng sinh và căn cước của cha mẹ. Bộ phận một cửa phường sẵn sàng hỗ trợ trực tiếp.',
    },
  ],
  khac: [
    {
      t: 'Cây xanh nghiêng có nguy cơ đổ trên đường {s}',
      d: 'Cây phượng trước số nhà {n} đường {s} bị nghiêng nhiều sau đợt mưa bão, rễ bật lên, có nguy cơ đổ vào nhà dân.',
      a: 'Công ty Công viên cây xanh đã cắt tỉa, chằng chống cây và sẽ thay thế bằng cây mới trong đợt trồng cây tới.',
    },
  ],
};

const NAMES = [
  'Nguyễn Thị Hoa',
  'Trần Văn Bình',
  'Lê Thị Mai',
  'Phạm Minh Tuấn',
  'Hoàng Thị Lan',
  'Võ Văn Hùng',
  'Đặng Thu Hà',
  'Bùi Quang Huy',
];

function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

export async function seedMailboxDemo(deps: Deps, demo: DemoContext): Promise<void> {
  const db = deps.db;
  const catIds: Record<string, number> = {};
  for (const [i, c] of DEMO_CATEGORIES.entries())
    catIds[c.code] = await repo.upsertCategory(db, { ...c, sort: i, descriptionEn: '' });
  const [stnmt, sxd, ca, thUbnd, pxUbnd] = demo.agencyIds;
  const [phuXuan, thuanHoa] = demo.communeIds;
  const rules: { categoryId: number | null; unitId: number; agencyId: number }[] = [
    { categoryId: catIds['moi-truong'], unitId: demo.provinceId, agencyId: stnmt },
    { categoryId: catIds['dat-dai'], unitId: demo.provinceId, agencyId: stnmt },
    { categoryId: catIds['xay-dung'], unitId: demo.provinceId, agencyId: sxd },
    { categoryId: catIds['giao-thong'], unitId: demo.provinceId, agencyId: sxd },
    { categoryId: catIds['an-ninh'], unitId: demo.provinceId, agencyId: ca },
    { categoryId: null, unitId: thuanHoa, agencyId: thUbnd },
    { categoryId: null, unitId: phuXuan, agencyId: pxUbnd },
  ];
  for (const r of rules) if (r.agencyId && r.unitId) await repo.upsertRoutingRule(db, r);
  forgetCachedConfig(deps.state);
  repo.forgetPickerLists(deps.state);

  const rand = rng(20260123);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const holidays = await holidaySet(db);
  const now = Date.now();
  const DAY = 86400_000;
  const handler = { id: demo.users.handler, name: 'Phạm Thu Xử' };
  const reviewer = { id: demo.users.reviewer, name: 'Lê Minh Duyệt' };
  const total = 96;
  const fates: string[] = [];
  for (let i = 0; i < total; i++) {
    const ageDays = Math.floor(((i + rand()) / total) * 360) + 1; // spread evenly over the last 12 months
    const receivedAt = new Date(now - ageDays * DAY - Math.floor(rand() * 8 * 3600_000));
    const cat = pick(DEMO_CATEGORIES);
    const text = pick(TEXTS[cat.code]);
    const s = pick(STREETS);
    const n = 2 + Math.floor(rand() * 180);
    const fill = (x: string) =>
      x
        .replace('{s}', s)
        .replace('{n}', String(n))
        .replace('{m}', String(n + 20));
    const withContact = rand() < 0.6;
    const name = pick(NAMES);
    const created = await createReport(
      deps,
      {
        category: catIds[cat.code],
        unit: pick(demo.communeIds),
        title: fill(text.t),
        description: fill(text.d),
        address: `${n} ${s}`,
        lat: 16.45 + rand() * 0.04,
        lon: 107.56 + rand() * 0.06,
        name: withContact ? name : null,
        phone: withContact ? `09${String(10000000 + Math.floor(rand() * 89999999))}` : null,
        email: withContact && rand() < 0.5 ? `demo${i}@example.org` : null,
        show_name: withContact && rand() < 0.3,
      },
      { source: 'demo', locale: 'vi', receivedAt },
    );
    const id = created.id;
    const r = (await repo.reportById(db, id))!;
    const ev = (
      kind: string,
      at: number,
      visibility: 'public' | 'resident' | 'internal',
      actor: { id: number | null; name: string } | null,
      body?: string,
      data?: Record<string, unknown>,
    ) =>
      repo.insertEvent(db, {
        reportId: id,
        kind,
        visibility,
        actorId: actor?.id ?? null,
        actorLabel: actor?.name ?? 'resident',
        body,
        data,
        at: new Date(at),
      });
    const t0 = receivedAt.getTime();
    const roll = rand();
    const RECENT = [
      'received',
      'received',
      'accepted',
      'assigned',
      'in_progress',
      'draft',
      'received',
      'in_progress',
      'answered',
      'assigned',
    ];
    let fate: string;
    if (i < RECENT.length)
      fate = RECENT[i]; // the newest reports: every open state
    else if (roll < 0.05) fate = 'spam';
    else if (roll < 0.11) fate = 'rejected';
    else if (roll < 0.15 && i > 0) fate = 'merged';
    else if (roll < 0.22) fate = 'overdue';
    else if (roll < 0.27) fate = 'reopened';
    else fate = rand() < 0.55 ? 'closed' : 'answered';
    fates.push(fate);
    if (fate === 'received') continue;
    if (fate === 'spam') {
      await repo.updateReport(db, id, { status: 'spam', closed_at: new Date(t0 + 3 * 3600_000) });
      await ev('spam', t0 + 3 * 3600_000, 'internal', handler);
      continue;
    }
    if (fate === 'rejected') {
      const reason =
        'Nội dung không thuộc thẩm quyền giải quyết của cơ quan hành chính; đề nghị ông/bà liên hệ Tòa án nhân dân để được hướng dẫn.';
      await repo.updateReport(db, id, { status: 'rejected', reject_reason: reason, closed_at: new Date(t0 + DAY) });
      await ev('rejected', t0 + DAY, 'resident', handler, reason);
      continue;
    }
    if (fate === 'merged') {
      const target = await db.one<{ id: number; code: string }>(
        `SELECT id, code FROM mailbox_reports WHERE id < $1 AND status NOT IN ('spam','merged','rejected','received') ORDER BY id DESC LIMIT 1`,
        [id],
      );
      if (target) {
        await repo.updateReport(db, id, { status: 'merged', duplicate_of: target.id, closed_at: new Date(t0 + DAY) });
        await ev('merged', t0 + DAY, 'resident', handler, undefined, { code: target.code });
        continue;
      }
    }
    if (fate === 'accepted') {
      // accepted, waiting for someone to route it (no routing rule for this category and place)
      const tA = t0 + 5 * 3600_000;
      await repo.updateReport(db, id, { status: 'accepted', agency_id: null, accepted_at: new Date(tA) });
      await ev('accepted', tA, 'public', handler);
      continue;
    }
    const agencyId = r.agency_id ?? pick(demo.agencyIds);
    const agency = (await repo.findAgency(db, agencyId))!;
    const tAccept = t0 + (2 + rand() * 20) * 3600_000;
    await repo.updateReport(db, id, {
      status: 'assigned',
      agency_id: agencyId,
      accepted_at: new Date(tAccept),
      assigned_at: new Date(tAccept),
    });
    await ev('accepted', tAccept, 'public', handler);
    await ev('assigned', tAccept + 60_000, 'public', handler, undefined, {
      agency: agency.name,
      agency_en: agency.name_en ?? agency.name,
    });
    if (fate === 'assigned') continue;
    const tStart = tAccept + (4 + rand() * 30) * 3600_000;
    await repo.updateReport(db, id, { status: 'in_progress', assignee_id: handler.id });
    await ev('in_progress', tStart, 'public', handler);
    if (rand() < 0.3) {
      await ev(
        'question',
        tStart + 3600_000,
        'resident',
        handler,
        'Ông/bà vui lòng cho biết thời điểm cụ thể sự việc xảy ra và gửi thêm ảnh nếu có.',
      );
      await ev(
        'reply',
        tStart + 8 * 3600_000,
        'resident',
        null,
        'Sự việc thường xảy ra vào buổi tối, khoảng 20–22 giờ.',
      );
    }
    if (fate === 'in_progress') continue;
    const answer = fill(text.a);
    if (fate === 'draft') {
      await repo.updateReport(db, id, {
        answer_draft: answer,
        answer_draft_by: handler.id,
        answer_draft_at: new Date(tStart + 2 * 3600_000),
      });
      await ev('draft', tStart + 2 * 3600_000, 'internal', handler, answer);
      continue;
    }
    const deadline = addWorkingDays(receivedAt, cat.handlingDays, holidays);
    if (fate === 'overdue') {
      if (rand() < 0.5) {
        await repo.updateReport(db, id, { escalated_at: new Date(deadline.getTime() + 3600_000) });
        await ev('escalated', deadline.getTime() + 3600_000, 'internal', null, undefined, { unit: 'Thành phố Huế' });
      }
      continue;
    }
    // answered: most on time, some late
    const late = rand() < 0.18;
    let tAns = late
      ? deadline.getTime() + (1 + rand() * 6) * DAY
      : t0 + (0.3 + rand() * 0.9) * (deadline.getTime() - t0);
    tAns = Math.min(tAns, now - 3600_000);
    await repo.updateReport(db, id, {
      status: 'answered',
      answer,
      answered_at: new Date(tAns),
      first_answered_at: new Date(tAns),
      answered_on_time: tAns <= deadline.getTime(),
      answered_by: handler.id,
      approved_by: reviewer.id,
    });
    await ev('draft', tAns - 4 * 3600_000, 'internal', handler, answer);
    await ev('answered', tAns, 'public', { id: reviewer.id, name: agency.name }, answer);
    if (fate === 'closed') {
      const rating = rand() < 0.75 ? 4 + Math.round(rand()) : 2 + Math.round(rand());
      const tRate = Math.min(tAns + (1 + rand() * 3) * DAY, now - 600_000);
      await repo.updateReport(db, id, {
        status: 'closed',
        rating,
        rated_at: new Date(tRate),
        closed_at: new Date(tRate),
        rating_comment: rating >= 4 ? 'Cảm ơn cơ quan đã xử lý nhanh.' : 'Xử lý còn chậm.',
      });
      await ev('rated', tRate, 'public', null, undefined, { n: rating });
      await ev('closed', tRate + 1000, 'public', { id: null, name: 'system' });
    }
    if (fate === 'reopened') {
      const tRe = Math.min(tAns + 2 * DAY, now - 600_000);
      await repo.updateReport(db, id, {
        status: 'reopened',
        reopened_count: 1,
        deadline_at: addWorkingDays(new Date(tRe), cat.handlingDays, holidays),
      });
      await ev('reopened', tRe, 'public', null, 'Sự việc vẫn tiếp diễn sau khi có trả lời, đề nghị kiểm tra lại.');
    }
  }
  await seedPracticeDemo(deps, demo); // issue 15: redaction, outcomes, templates
  publicChanged(deps.state);
}
