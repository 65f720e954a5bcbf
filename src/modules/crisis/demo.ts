import type { Deps } from '../../http/context.js';
import type { DemoContext } from '../../http/module.js';
import { loadPrincipal } from '../../platform/auth/service.js';
import { recentPublished } from '../desk/public.js';
import * as repo from './repo.js';
import * as service from './service.js';

/**
 * Demo: one active incident (flooding) with released statements and a public CAP alert, one closed
 * incident (power cut), an ordinary notice outside any incident, and distribution lists.
 */
export async function seedCrisisDemo(deps: Deps, demo: DemoContext): Promise<void> {
  const db = deps.db;
  const province = (await repo.unitById(db, demo.provinceId))!;
  // a demo account as the services take it: its own grants (the platform demo gives each one role on the province)
  const who = async (role: 'editor' | 'reviewer'): Promise<service.Actor> => ({
    principal: (await loadPrincipal(db, demo.users[role], 'session'))!,
    ip: null,
  });
  const editor = await who('editor');
  const reviewer = await who('reviewer');
  const site = { baseUrl: deps.config.baseUrl, orgName: deps.config.ORG_NAME };
  const [phuXuan, thuanHoa, vyDa, , , phuVinh] = demo.communeIds;

  const press = await service.createList(db, editor, 'Báo chí, phát thanh, truyền hình', 'press', province.id);
  await service.addContact(db, editor, press, {
    name: 'Ban Thời sự — Đài Phát thanh và Truyền hình',
    organisation: 'TRT (demo)',
    channel: 'email',
    address: 'thoisu@trt.example.org',
    locale: 'vi',
  });
  await service.addContact(db, editor, press, {
    name: 'Phóng viên thường trú',
    organisation: 'Báo điện tử (demo)',
    channel: 'email',
    address: 'phongvien@bao.example.org',
    locale: 'vi',
  });
  await service.addContact(db, editor, press, {
    name: 'Foreign press desk',
    organisation: 'News agency (demo)',
    channel: 'email',
    address: 'desk@agency.example.org',
    locale: 'en',
  });
  const officials = await service.createList(db, editor, 'Lãnh đạo thành phố và các sở', 'officials', province.id);
  await service.addContact(db, editor, officials, {
    name: 'Văn phòng UBND thành phố',
    organisation: 'UBND thành phố Huế (demo)',
    channel: 'email',
    address: 'vanphong@ubnd.example.org',
    locale: 'vi',
  });
  const leaders = await service.createList(db, editor, 'Chủ tịch UBND phường, xã', 'unit_leaders', province.id);
  await service.addContact(db, editor, leaders, {
    name: 'Chủ tịch UBND phường Thuận Hoá',
    organisation: 'UBND phường Thuận Hoá (demo)',
    channel: 'email',
    address: 'chutich.thuanhoa@ubnd.example.org',
    locale: 'vi',
  });
  await service.createList(db, editor, 'Thành viên mạng lưới tại địa bàn', 'network', province.id);

  const release = async (input: service.StatementInput) => {
    const id = await service.draftStatement(db, editor, input);
    await service.submitStatement(db, editor, id);
    await service.releaseStatement(deps, reviewer, id, site);
    return id;
  };
  const base = { unitId: province.id, titleEn: null, bodyEn: null, listIds: [] as number[], refersTo: null };

  // the active incident
  const flood = await service.openIncident(deps, editor, {
    title: 'Mưa lớn gây ngập úng tại phường Thuận Hoá và xã Phú Vinh',
    titleEn: 'Heavy rain floods Thuan Hoa Ward and Phu Vinh Commune',
    type: 'natural',
    severity: 'severe',
    summary: 'Mưa lớn kéo dài làm ngập sâu nhiều tuyến đường; lực lượng cứu hộ đang hỗ trợ người dân di dời.',
    summaryEn: 'Prolonged heavy rain has flooded many streets; rescue teams are helping residents move to safety.',
    unitId: province.id,
    unitIds: [thuanHoa, phuVinh],
    spokespersonName: 'Nguyễn Thị Phát Ngôn',
    spokespersonTitle: 'Phó Chánh Văn phòng UBND thành phố',
    spokespersonPhone: '0234 3822 000',
    spokespersonEmail: 'phatngon@ubnd.example.org',
    hotlines: 'Cứu hộ, cứu nạn: 112\nCông an: 113\nĐường dây nóng phòng chống thiên tai: 0234 3822 111',
    publicAlert: true,
    areaPolygon: '16.50,107.55 16.50,107.66 16.42,107.66 16.42,107.55 16.50,107.55',
    areaCircle: '16.46,107.60 8',
  });
  const first = await release({
    ...base,
    incidentId: flood,
    kind: 'notice',
    title: 'Thông báo về tình hình mưa lũ và các điểm sơ tán',
    titleEn: 'Notice on the floods and evacuation points',
    body: 'Từ đêm qua, mưa lớn gây ngập sâu 0,5–1 m tại nhiều tuyến đường thuộc phường Thuận Hoá và xã Phú Vinh.\n\nNgười dân tại khu vực trũng thấp di chuyển đến các điểm sơ tán: Trường Tiểu học Thuận Hoá, Nhà văn hoá xã Phú Vinh. Không đi qua các ngầm tràn, đoạn đường bị ngập.',
    bodyEn:
      'Since last night heavy rain has flooded many streets in Thuan Hoa Ward and Phu Vinh Commune 0.5–1 m deep.\n\nResidents of low-lying areas should go to the evacuation points: Thuan Hoa Primary School, Phu Vinh Commune Cultural House. Do not cross flooded roads or spillways.',
    listIds: [press, officials],
  });
  await release({
    ...base,
    incidentId: flood,
    kind: 'update',
    refersTo: first,
    title: 'Cập nhật: mở thêm điểm sơ tán, chưa có thiệt hại về người',
    titleEn: 'Update: another evacuation point opened, no casualties',
    body: 'Đến 6 giờ sáng nay, 312 hộ dân đã được di dời an toàn. Mở thêm điểm sơ tán tại Trụ sở UBND phường Thuận Hoá. Chưa ghi nhận thiệt hại về người.\n\nThông tin “vỡ đập thủy điện” đang lan truyền trên mạng xã hội là sai sự thật.',
    bodyEn:
      'By 6 a.m. today 312 households had been moved to safety. Another evacuation point is open at the Thuan Hoa Ward People’s Committee. No casualties have been recorded.\n\nThe “dam burst” story circulating on social media is false.',
    listIds: [press, officials],
  });
  // "known to be false": the desk's published fact-checks, when the desk has any (its demo is seeded first)
  const factchecks = await recentPublished(db, { kind: 'factcheck', limit: 2 }).catch(() => []);
  for (const f of factchecks) await service.linkFactcheck(deps, editor, flood, f.id);
  const pending = await service.draftStatement(db, editor, {
    ...base,
    incidentId: flood,
    kind: 'notice',
    title: 'Thông báo cho học sinh nghỉ học ngày mai',
    body: 'Học sinh các trường trên địa bàn phường Thuận Hoá và xã Phú Vinh nghỉ học ngày mai để bảo đảm an toàn.',
  });
  await service.submitStatement(db, editor, pending);

  // the closed incident
  const power = await service.openIncident(deps, editor, {
    title: 'Mất điện diện rộng tại phường Vỹ Dạ',
    titleEn: 'Widespread power cut in Vy Da Ward',
    type: 'infrastructure',
    severity: 'moderate',
    summary: 'Sự cố trạm biến áp làm mất điện khoảng 4.000 hộ.',
    summaryEn: 'A substation fault cut power to about 4,000 households.',
    unitId: province.id,
    unitIds: [vyDa, phuXuan],
    spokespersonName: 'Trần Văn Điện',
    spokespersonTitle: 'Giám đốc Điện lực (demo)',
    spokespersonPhone: '0234 3822 333',
    spokespersonEmail: 'dienluc@example.org',
    hotlines: 'Tổng đài điện lực: 1900 1909',
    publicAlert: true,
    areaPolygon: null,
    areaCircle: '16.47,107.61 3',
  });
  await release({
    ...base,
    incidentId: power,
    kind: 'notice',
    title: 'Thông báo khắc phục sự cố mất điện tại phường Vỹ Dạ',
    body: 'Điện lực đang khắc phục sự cố trạm biến áp. Dự kiến cấp điện trở lại trước 18 giờ hôm nay. Người dân không tự ý đến gần trạm biến áp.',
  });
  await service.changeStatus(deps, editor, power, 'closed', site);

  // an ordinary notice outside any incident
  await release({
    ...base,
    incidentId: null,
    kind: 'notice',
    title: 'Thông báo lịch tiếp công dân định kỳ tháng 12',
    titleEn: 'Schedule of public reception days in December',
    body: 'Lãnh đạo UBND thành phố tiếp công dân định kỳ vào thứ Năm tuần thứ hai và thứ tư của tháng 12, tại Trụ sở Tiếp công dân thành phố.',
    bodyEn:
      'The City People’s Committee leaders receive residents on the second and fourth Thursday of December at the city’s Citizen Reception Office.',
  });
}
