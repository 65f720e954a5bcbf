/**
 * Demo content for the desk: our own Vietnamese texts (no outlet's copy), set in the demo city, spread over the
 * last twelve months. Also the evaluation set's ground truth for bench/desk.bench.ts (by `key`).
 */
import type { Deps } from '../../http/context.js';
import type { DemoContext } from '../../http/module.js';
import { recordAudit } from '../../platform/audit/audit.js';
import * as repo from './repo.js';
import type { ItemFields, Source } from './repo.js';
import { fileClaim, setClusterStatus } from './service.js';
import { slugify } from './service/text.js';

export const demoTopics = [
  { slug: 'y-te', name: 'Y tế', nameEn: 'Health' },
  { slug: 'giao-duc', name: 'Giáo dục', nameEn: 'Education' },
  { slug: 'giao-thong', name: 'Giao thông', nameEn: 'Transport' },
  { slug: 'thien-tai', name: 'Thiên tai, thời tiết', nameEn: 'Weather and disasters' },
  { slug: 'dat-dai', name: 'Đất đai, quy hoạch', nameEn: 'Land and planning' },
  { slug: 'chinh-sach', name: 'Chính sách xã hội', nameEn: 'Social policy' },
  { slug: 'lua-dao', name: 'Lừa đảo trực tuyến', nameEn: 'Online scams' },
];

const S = (title: string, publisher: string, date: string, ref: string): Source =>
  ref.startsWith('http')
    ? { title, publisher, date, url: ref, reference: null }
    : { title, publisher, date, url: null, reference: ref };

export interface DemoFactcheck {
  key: string;
  topic: string;
  unit: number | null;
  verdict: string;
  daysAgo: number;
  title: string;
  claim: string;
  summary: string;
  body: string;
  appeared: string;
  sources: Source[];
}

export const demoFactchecks: DemoFactcheck[] = [
  {
    key: 'water-cut',
    topic: 'y-te',
    unit: 1,
    verdict: 'sai',
    daysAgo: 12,
    title: 'Không có chuyện cắt nước toàn thành phố 5 ngày để súc rửa đường ống',
    claim:
      'Thành phố Huế sẽ cắt nước sinh hoạt toàn bộ trong 5 ngày liên tiếp từ thứ Hai tới để súc rửa đường ống, người dân cần trữ nước ngay.',
    summary:
      'Sai. Công ty cấp nước chỉ tạm ngừng cấp nước 6 giờ tại một số tuyến đường ở phường Thuận Hoá để thay van, có thông báo trước.',
    body: 'Tin nhắn lan truyền trong nhiều nhóm chat cho rằng toàn thành phố sẽ mất nước 5 ngày. Chúng tôi đã liên hệ đơn vị cấp nước và đối chiếu lịch thi công.\n\nThực tế, đơn vị cấp nước chỉ **tạm ngừng cấp nước từ 22 giờ đến 4 giờ sáng** tại 3 tuyến đường ở phường Thuận Hoá để thay van chặn. Thông báo đã được dán tại tổ dân phố và đăng trên trang của đơn vị.\n\nKhông có kế hoạch cắt nước toàn thành phố. Người dân không cần tích trữ nước.',
    appeared: 'Tin nhắn chuyển tiếp trong các nhóm chat của khu dân cư, kèm ảnh chụp một văn bản không có số hiệu',
    sources: [
      S(
        'Thông báo tạm ngừng cấp nước để thay van',
        'Công ty cấp nước Huế',
        '2026-11-05',
        'https://example.org/cap-nuoc/thong-bao-thay-van',
      ),
      S('Trao đổi trực tiếp với phòng kỹ thuật', 'Công ty cấp nước Huế', '2026-11-06', 'Biên bản làm việc số 12/BB'),
    ],
  },
  {
    key: 'school-fee',
    topic: 'giao-duc',
    unit: null,
    verdict: 'gay-hieu-lam',
    daysAgo: 40,
    title: 'Học phí năm học mới không tăng gấp đôi như tin đồn',
    claim: 'Học phí các trường công lập ở Huế năm nay tăng gấp đôi, mỗi học sinh phải đóng thêm 2 triệu đồng.',
    summary:
      'Gây hiểu lầm. Học sinh mầm non và phổ thông công lập được miễn học phí; khoản 2 triệu đồng là các khoản thu tự nguyện của một trường, không phải học phí.',
    body: 'Bài đăng so sánh biên lai của hai năm học và kết luận học phí tăng gấp đôi. Thực ra biên lai năm nay gộp cả tiền bán trú, đồng phục và bảo hiểm y tế.\n\nTheo nghị quyết của Hội đồng nhân dân, học sinh công lập được **miễn học phí**. Các khoản thu khác phải được phụ huynh thống nhất và công khai.',
    appeared: 'Ảnh chụp hai biên lai thu tiền đăng kèm lời bình trên một trang mạng xã hội về giáo dục',
    sources: [
      S('Nghị quyết về miễn học phí', 'Hội đồng nhân dân thành phố', '2026-07-15', 'Nghị quyết số 08/2026/NQ-HĐND'),
      S(
        'Hướng dẫn các khoản thu năm học',
        'Sở Giáo dục và Đào tạo',
        '2026-08-20',
        'https://example.org/sgd/huong-dan-khoan-thu',
      ),
    ],
  },
  {
    key: 'bridge-collapse',
    topic: 'giao-thong',
    unit: 0,
    verdict: 'sai',
    daysAgo: 75,
    title: 'Cầu Trường Tiền không bị nứt và không cấm xe',
    claim: 'Cầu Trường Tiền bị nứt dầm, sắp sập, từ mai cấm toàn bộ xe máy qua cầu.',
    summary:
      'Sai. Cầu đang được bảo dưỡng sơn định kỳ; kết quả kiểm định cho thấy kết cấu an toàn và không có lệnh cấm xe.',
    body: 'Đoạn video quay cảnh công nhân treo giàn giáo dưới gầm cầu được chia sẻ kèm lời cảnh báo cầu sắp sập.\n\nĐây là đợt **bảo dưỡng, sơn chống gỉ định kỳ**. Báo cáo kiểm định gần nhất kết luận kết cấu cầu đảm bảo. Sở Xây dựng không ban hành lệnh cấm xe máy.',
    appeared: 'Video ngắn quay giàn giáo dưới gầm cầu, chia sẻ trên các trang video ngắn',
    sources: [
      S('Kế hoạch bảo dưỡng cầu năm 2026', 'Sở Xây dựng', '2026-08-01', 'Kế hoạch số 214/KH-SXD'),
      S(
        'Báo cáo kiểm định kết cấu cầu',
        'Trung tâm kiểm định công trình',
        '2026-06-10',
        'https://example.org/kiem-dinh/cau-truong-tien',
      ),
    ],
  },
  {
    key: 'flood-dam',
    topic: 'thien-tai',
    unit: 5,
    verdict: 'sai',
    daysAgo: 30,
    title: 'Thủy điện không xả lũ khẩn cấp trong đêm',
    claim: 'Tối nay thủy điện thượng nguồn xả lũ khẩn cấp, nước sẽ dâng 3 mét, xã Phú Vinh phải sơ tán ngay trong đêm.',
    summary:
      'Sai. Hồ chứa đang vận hành bình thường, mực nước dưới mức cho phép; không có lệnh xả lũ khẩn cấp hay sơ tán.',
    body: 'Tin cảnh báo lan truyền kèm một ảnh cũ chụp trận lũ năm 2020.\n\nBan chỉ huy phòng chống thiên tai cho biết các hồ chứa **vận hành bình thường**. Mọi lệnh xả lũ đều được thông báo qua loa truyền thanh, tin nhắn cảnh báo và trang Thông báo khẩn của cổng này.',
    appeared: 'Tin nhắn thoại và ảnh ngập lụt cũ chia sẻ trong nhóm chat của xã',
    sources: [
      S(
        'Bản tin vận hành hồ chứa',
        'Ban Chỉ huy phòng chống thiên tai thành phố',
        '2026-10-24',
        'https://example.org/pctt/ban-tin-ho-chua',
      ),
    ],
  },
  {
    key: 'vaccine-chip',
    topic: 'y-te',
    unit: null,
    verdict: 'sai',
    daysAgo: 200,
    title: 'Vắc-xin sởi cho trẻ không chứa vi mạch theo dõi',
    claim: 'Vắc-xin sởi tiêm cho trẻ em trong đợt này có gắn vi mạch để theo dõi vị trí.',
    summary:
      'Sai. Vắc-xin là dung dịch tiêm qua kim rất nhỏ; không thể chứa thiết bị điện tử. Thành phần vắc-xin được công bố công khai.',
    body: 'Thông tin này xuất hiện lại mỗi khi có chiến dịch tiêm chủng.\n\nKim tiêm vắc-xin có đường kính trong nhỏ hơn nửa milimét; không có thiết bị định vị nào hoạt động được ở kích thước đó mà không cần nguồn điện. Thành phần từng loại vắc-xin được **công bố trên tờ hướng dẫn** kèm theo.',
    appeared: 'Bài đăng dài kèm ảnh phóng to một con chip điện tử, chia sẻ trong các nhóm phụ huynh',
    sources: [
      S(
        'Tờ hướng dẫn sử dụng vắc-xin sởi - rubella',
        'Nhà sản xuất vắc-xin',
        '2025-12-01',
        'https://example.org/vac-xin/huong-dan',
      ),
      S('Trả lời của Trung tâm Kiểm soát bệnh tật', 'CDC thành phố', '2026-04-28', 'Công văn số 77/KSBT'),
    ],
  },
  {
    key: 'land-recall',
    topic: 'dat-dai',
    unit: 3,
    verdict: 'thieu-boi-canh',
    daysAgo: 120,
    title: 'Thu hồi đất ở An Cựu: chỉ một phần nhỏ, đã công khai quy hoạch',
    claim: 'Toàn bộ phường An Cựu sẽ bị thu hồi đất để làm khu đô thị mới, dân phải di dời hết.',
    summary:
      'Thiếu bối cảnh. Có dự án thu hồi đất nhưng chỉ 4,2 ha ven sông để làm công viên, ảnh hưởng 38 hộ, đã được công bố và lấy ý kiến.',
    body: 'Bản đồ quy hoạch được cắt xén chỉ còn phần tô màu khiến người xem hiểu nhầm cả phường bị thu hồi.\n\nDự án công viên ven sông thu hồi **4,2 ha**, ảnh hưởng **38 hộ**. Phương án bồi thường, tái định cư đã niêm yết tại trụ sở phường và tổ chức đối thoại.',
    appeared: 'Ảnh chụp một phần bản đồ quy hoạch kèm chú thích “cả phường bị giải tỏa”',
    sources: [
      S('Quyết định phê duyệt quy hoạch chi tiết', 'UBND thành phố', '2026-03-02', 'Quyết định số 512/QĐ-UBND'),
      S('Thông báo thu hồi đất', 'UBND phường An Cựu', '2026-06-18', 'https://example.org/an-cuu/thong-bao-thu-hoi'),
    ],
  },
  {
    key: 'pension-sms',
    topic: 'lua-dao',
    unit: null,
    verdict: 'sai',
    daysAgo: 18,
    title: 'Tin nhắn báo “nhận tiền hỗ trợ lương hưu” là lừa đảo',
    claim: 'Người về hưu bấm vào đường link trong tin nhắn để nhận 3 triệu đồng tiền hỗ trợ lương hưu của nhà nước.',
    summary:
      'Sai, đây là lừa đảo. Cơ quan bảo hiểm xã hội không gửi đường link nhận tiền qua tin nhắn; đường link dẫn đến trang giả mạo để lấy mật khẩu ngân hàng.',
    body: 'Nhiều người cao tuổi nhận tin nhắn mạo danh cơ quan bảo hiểm xã hội.\n\nCơ quan bảo hiểm xã hội khẳng định **không gửi đường link** nhận tiền. Trang web trong tin nhắn yêu cầu nhập số tài khoản, mật khẩu và mã OTP. Nếu đã nhập, hãy gọi ngay cho ngân hàng để khóa tài khoản.',
    appeared: 'Tin nhắn SMS có tên người gửi giống cơ quan bảo hiểm xã hội, chứa đường link rút gọn',
    sources: [
      S(
        'Cảnh báo mạo danh bảo hiểm xã hội',
        'Bảo hiểm xã hội thành phố',
        '2026-10-30',
        'https://example.org/bhxh/canh-bao',
      ),
      S(
        'Khuyến cáo phòng chống lừa đảo trực tuyến',
        'Công an thành phố',
        '2026-11-01',
        'https://example.org/cong-an/khuyen-cao',
      ),
    ],
  },
  {
    key: 'electricity-price',
    topic: 'chinh-sach',
    unit: null,
    verdict: 'chua-du-can-cu',
    daysAgo: 95,
    title: 'Giá điện sinh hoạt tăng 20% từ tháng sau: chưa có quyết định',
    claim: 'Từ tháng sau giá điện sinh hoạt tăng 20%, hóa đơn mỗi nhà sẽ tăng thêm vài trăm nghìn.',
    summary:
      'Chưa đủ căn cứ. Chưa có văn bản nào quyết định tăng giá điện 20%; mức điều chỉnh (nếu có) do cơ quan có thẩm quyền công bố.',
    body: 'Con số 20% xuất hiện trong một bài bình luận, không dẫn nguồn.\n\nChúng tôi không tìm thấy quyết định điều chỉnh giá nào. Các lần điều chỉnh trước đều được công bố chính thức kèm biểu giá. Chúng tôi sẽ cập nhật khi có thông tin.',
    appeared: 'Bài bình luận trên một trang tin tổng hợp, được chia sẻ lại nhiều lần',
    sources: [
      S('Biểu giá bán lẻ điện hiện hành', 'Đơn vị điện lực', '2026-05-10', 'https://example.org/dien-luc/bieu-gia'),
    ],
  },
  {
    key: 'market-closed',
    topic: 'chinh-sach',
    unit: 0,
    verdict: 'thieu-boi-canh',
    daysAgo: 150,
    title: 'Chợ Đông Ba chỉ tạm dời một khu hàng, không đóng cửa',
    claim: 'Chợ Đông Ba đóng cửa vĩnh viễn, tiểu thương phải dời hết ra ngoại ô.',
    summary: 'Thiếu bối cảnh. Chỉ khu hàng ăn được tạm dời 3 tháng để sửa mái; các khu khác vẫn buôn bán bình thường.',
    body: 'Thông báo tạm dời khu hàng ăn bị cắt mất phần thời hạn và phạm vi.\n\nBan quản lý chợ cho biết việc sửa mái kéo dài **3 tháng**; các tiểu thương khu hàng ăn được bố trí điểm bán tạm ngay cạnh chợ.',
    appeared: 'Ảnh chụp một phần thông báo của ban quản lý chợ đăng trên mạng xã hội',
    sources: [S('Thông báo tạm dời khu hàng ăn', 'Ban quản lý chợ Đông Ba', '2026-06-01', 'Thông báo số 45/TB-BQL')],
  },
  {
    key: 'dengue',
    topic: 'y-te',
    unit: 2,
    verdict: 'dung',
    daysAgo: 60,
    title: 'Đúng: Vỹ Dạ ghi nhận ổ dịch sốt xuất huyết, đã phun thuốc',
    claim: 'Phường Vỹ Dạ có ổ dịch sốt xuất huyết với hơn 10 ca mắc.',
    summary:
      'Đúng. Phường ghi nhận 12 ca sốt xuất huyết trong một khu dân cư; ngành y tế đã khoanh vùng, phun hóa chất và hướng dẫn diệt lăng quăng.',
    body: 'Chúng tôi đối chiếu với số liệu giám sát của trung tâm y tế.\n\nỔ dịch gồm **12 ca**, không có ca tử vong. Người dân nên **đậy kín dụng cụ chứa nước**, thả cá diệt lăng quăng và đến cơ sở y tế khi sốt cao liên tục.',
    appeared: 'Bài viết của một người dân trong nhóm cư dân phường, hỏi tin có thật không',
    sources: [
      S(
        'Báo cáo giám sát sốt xuất huyết tuần 38',
        'Trung tâm Y tế thành phố',
        '2026-09-20',
        'https://example.org/yte/giam-sat-sxh',
      ),
    ],
  },
  {
    key: 'license-fine',
    topic: 'giao-thong',
    unit: null,
    verdict: 'gay-hieu-lam',
    daysAgo: 250,
    title: 'Không mang bằng lái bản giấy không bị phạt nếu có bản điện tử hợp lệ',
    claim: 'Từ tháng này đi xe máy không mang bằng lái giấy sẽ bị phạt 5 triệu đồng dù đã có bằng lái trên ứng dụng.',
    summary:
      'Gây hiểu lầm. Giấy phép lái xe tích hợp trên ứng dụng định danh điện tử có giá trị như bản giấy; mức phạt được nêu trong tin là của lỗi khác.',
    body: 'Mức phạt 5 triệu đồng trong tin là mức phạt cho lỗi **không có** giấy phép lái xe, không phải lỗi quên mang.\n\nNgười lái xe có thể xuất trình giấy phép lái xe đã tích hợp trên ứng dụng định danh điện tử.',
    appeared: 'Đoạn video ngắn của một kênh chia sẻ mẹo giao thông',
    sources: [
      S(
        'Nghị định quy định xử phạt vi phạm hành chính về giao thông',
        'Chính phủ',
        '2024-12-26',
        'Nghị định số 168/2024/NĐ-CP',
      ),
      S(
        'Hướng dẫn xuất trình giấy tờ điện tử',
        'Cục Cảnh sát giao thông',
        '2025-01-05',
        'https://example.org/csgt/giay-to-dien-tu',
      ),
    ],
  },
  {
    key: 'typhoon-school',
    topic: 'thien-tai',
    unit: null,
    verdict: 'sai',
    daysAgo: 330,
    title: 'Văn bản cho học sinh nghỉ học cả tuần vì bão là giả',
    claim: 'Sở Giáo dục cho toàn bộ học sinh nghỉ học hết tuần vì bão, có văn bản kèm theo.',
    summary:
      'Sai. Văn bản lan truyền là giả mạo (sai số hiệu, sai chữ ký). Sở chỉ cho học sinh nghỉ một ngày ở vùng có nguy cơ sạt lở.',
    body: 'Văn bản giả có số hiệu không tồn tại trong sổ đăng ký văn bản và chữ ký được ghép.\n\nVăn bản thật cho học sinh **nghỉ 1 ngày** tại các xã miền núi có nguy cơ sạt lở. Bạn có thể tự kiểm tra văn bản tại trang “Kiểm tra văn bản có thật không”.',
    appeared: 'Ảnh chụp văn bản có dấu đỏ, chia sẻ trong các nhóm phụ huynh',
    sources: [
      S(
        'Công văn cho học sinh nghỉ học tránh bão',
        'Sở Giáo dục và Đào tạo',
        '2026-01-02',
        'Công văn số 1520/SGDĐT-VP',
      ),
    ],
  },
  {
    key: 'rice-plastic',
    topic: 'y-te',
    unit: null,
    verdict: 'sai',
    daysAgo: 280,
    title: 'Không có “gạo nhựa” bán ở chợ',
    claim: 'Chợ đang bán gạo nhựa trộn lẫn gạo thật, nấu lên không chín và gây ung thư.',
    summary: 'Sai. Mẫu gạo người dân gửi đến được kiểm nghiệm là gạo thật; hạt cứng là do gạo cũ, bảo quản ẩm.',
    body: 'Cơ quan an toàn thực phẩm đã lấy **9 mẫu gạo** tại 3 chợ để kiểm nghiệm; tất cả là gạo thật.\n\nGạo để lâu, bảo quản ẩm có thể cứng và khó nấu, nhưng không phải nhựa. Sản xuất “gạo nhựa” cũng tốn kém hơn gạo thật.',
    appeared: 'Video quay cảnh vo gạo và vò nắm cơm thành bóng, chia sẻ lại nhiều lần',
    sources: [
      S('Kết quả kiểm nghiệm mẫu gạo', 'Chi cục An toàn vệ sinh thực phẩm', '2026-02-14', 'Phiếu kết quả số 0231/KN'),
    ],
  },
  {
    key: 'bus-free',
    topic: 'giao-thong',
    unit: null,
    verdict: 'dung',
    daysAgo: 5,
    title: 'Đúng: người từ 60 tuổi được đi xe buýt miễn phí',
    claim: 'Người cao tuổi từ 60 tuổi trở lên được đi xe buýt nội thành miễn phí.',
    summary: 'Đúng. Từ đầu tháng, người từ 60 tuổi xuất trình căn cước được miễn vé trên các tuyến xe buýt trợ giá.',
    body: 'Chính sách được thành phố ban hành để khuyến khích dùng phương tiện công cộng.\n\nNgười cao tuổi chỉ cần **xuất trình căn cước** khi lên xe. Chính sách áp dụng cho các tuyến buýt có trợ giá.',
    appeared: 'Câu hỏi của nhiều người dân gửi đến mục “Hỏi: tin này có đúng không?”',
    sources: [
      S('Quyết định miễn vé xe buýt cho người cao tuổi', 'UBND thành phố', '2026-10-20', 'Quyết định số 2210/QĐ-UBND'),
    ],
  },
];

export const demoArticles = [
  {
    topic: 'lua-dao',
    unit: null,
    daysAgo: 20,
    title: 'Năm dấu hiệu nhận biết tin nhắn lừa đảo',
    summary:
      'Đường link lạ, giọng điệu khẩn cấp, yêu cầu mã OTP… Cách nhận ra và xử lý tin nhắn lừa đảo trong vài giây.',
    body: 'Kẻ lừa đảo thường tạo cảm giác **gấp gáp** để bạn không kịp suy nghĩ.\n\n1. Tin nhắn chứa đường link rút gọn hoặc tên miền lạ.\n2. Yêu cầu cung cấp mã OTP, mật khẩu.\n3. Hứa hẹn tiền thưởng, tiền hỗ trợ.\n4. Đe dọa khóa tài khoản, phạt tiền.\n5. Người gửi mạo danh cơ quan nhà nước.\n\nKhi nghi ngờ, hãy gửi cho chúng tôi tại mục [Hỏi: tin này có đúng không?](/claims/new).',
    sources: [
      S(
        'Cẩm nang phòng chống lừa đảo trực tuyến',
        'Công an thành phố',
        '2026-09-01',
        'https://example.org/cong-an/cam-nang',
      ),
    ],
  },
  {
    topic: 'thien-tai',
    unit: null,
    daysAgo: 45,
    title: 'Mùa mưa bão: nhận cảnh báo chính thức ở đâu?',
    summary:
      'Loa truyền thanh, tin nhắn cảnh báo và trang Thông báo khẩn là các kênh chính thức. Đừng tin ảnh ngập lụt cũ.',
    body: 'Mỗi mùa mưa bão, nhiều ảnh và video cũ được chia sẻ lại như tin mới.\n\nCác kênh chính thức: **loa truyền thanh** của phường, xã; **tin nhắn cảnh báo** từ nhà mạng; trang **Thông báo khẩn** của cổng Cầu Nối.',
    sources: [
      S(
        'Quy chế thông tin cảnh báo thiên tai',
        'Ban Chỉ huy phòng chống thiên tai',
        '2026-08-15',
        'Quy chế số 03/QC-BCH',
      ),
    ],
  },
  {
    topic: 'giao-duc',
    unit: 1,
    daysAgo: 160,
    title: 'Thuận Hoá mở thêm hai lớp học bơi miễn phí cho trẻ em',
    summary: 'Phường phối hợp trung tâm thể thao mở hai lớp học bơi hè cho trẻ từ 8 đến 12 tuổi.',
    body: 'Mỗi lớp **30 em**, học trong 10 buổi. Phụ huynh đăng ký tại trụ sở phường đến hết ngày 15 tháng 6.',
    sources: [S('Kế hoạch phổ cập bơi cho trẻ em', 'UBND phường Thuận Hoá', '2026-05-20', 'Kế hoạch số 19/KH-UBND')],
  },
  {
    topic: 'chinh-sach',
    unit: null,
    daysAgo: 300,
    title: 'Cách chúng tôi chọn tin để kiểm chứng',
    summary:
      'Chúng tôi ưu tiên tin lan truyền rộng, tin ảnh hưởng đến sức khỏe và an toàn, và những câu hỏi được nhiều người dân gửi đến.',
    body: 'Mỗi tuần, nhóm biên tập xem danh sách câu hỏi của người dân, được **gom nhóm** theo nội dung gần giống nhau. Nhóm càng nhiều người hỏi càng được ưu tiên.\n\nXem thêm [phương pháp kiểm chứng](/policies/method).',
    sources: [
      S('Phương pháp kiểm chứng', 'Cổng thông tin Cầu Nối', '2026-01-10', 'https://example.org/cau-noi/phuong-phap'),
    ],
  },
];

export const demoVideo = {
  topic: 'lua-dao',
  daysAgo: 25,
  title: 'Video: ba bước kiểm tra một tin trước khi chia sẻ',
  summary: 'Dừng lại, kiểm tra nguồn, tìm bài kiểm chứng: hướng dẫn ngắn trong 3 phút.',
  videoUrl: 'https://video.example.org/cau-noi/ba-buoc-kiem-tra',
  posterUrl: null as string | null,
  transcript:
    'Xin chào các bạn. Mỗi ngày chúng ta nhận rất nhiều tin qua điện thoại.\n\nBước một: dừng lại. Tin càng gây sốc, càng cần bình tĩnh.\n\nBước hai: kiểm tra nguồn. Ai đăng tin này? Có văn bản, có số hiệu không?\n\nBước ba: tìm bài kiểm chứng. Vào mục Thông tin kiểm chứng hoặc gửi câu hỏi cho chúng tôi.',
  sources: [
    S(
      'Tài liệu tập huấn kỹ năng thông tin',
      'Cổng thông tin Cầu Nối',
      '2026-09-10',
      'https://example.org/cau-noi/tap-huan',
    ),
  ],
};

/** Residents' questions, some near-identical (one cluster), some answered. */
export const demoClaims: {
  text: string;
  daysAgo: number;
  unit: number | null;
  answers?: string;
  member?: boolean;
  email?: boolean;
}[] = [
  {
    text: 'Có phải Huế sắp cắt nước toàn thành phố 5 ngày không?',
    daysAgo: 13,
    unit: 1,
    answers: 'water-cut',
    email: true,
  },
  { text: 'Huế sắp cắt nước toàn thành phố 5 ngày không ạ?', daysAgo: 13, unit: 0 },
  { text: 'Có phải Huế sắp cắt nước toàn thành phố 5 ngày không vậy?', daysAgo: 12, unit: 2, member: true },
  {
    text: 'Tin nhắn nhận 3 triệu tiền hỗ trợ lương hưu qua đường link có thật không?',
    daysAgo: 19,
    unit: null,
    answers: 'pension-sms',
  },
  { text: 'Nhận 3 triệu tiền hỗ trợ lương hưu qua đường link có thật không?', daysAgo: 18, unit: 4 },
  { text: 'Nghe nói ở chợ Bến Ngự có người bán thịt heo bệnh giá rẻ, có đúng không?', daysAgo: 3, unit: 3 },
  { text: 'Nghe nói chợ Bến Ngự có người bán thịt heo bệnh giá rẻ, có đúng không?', daysAgo: 2, unit: 3, member: true },
  { text: 'Có tin đường Lê Lợi sẽ cấm xe máy vào cuối tuần từ tháng 12, đúng không?', daysAgo: 1, unit: 0 },
  { text: 'Người ta nói uống nước lá ổi chữa khỏi sốt xuất huyết, có đúng không?', daysAgo: 58, unit: 2 },
];

const dayMs = 86_400_000;

export async function seedDeskDemo(deps: Deps, demo: DemoContext): Promise<void> {
  const db = deps.db;
  const topicIds = new Map<string, number>();
  for (const t of demoTopics) topicIds.set(t.slug, await repo.upsertTopic(db, t));
  const editor = demo.users.editor;
  const reviewer = demo.users.reviewer;
  const keyToId = new Map<string, number>();
  const publish = async (f: ItemFields, daysAgo: number, topic: string, unit: number | null) => {
    const at = new Date(Date.now() - daysAgo * dayMs - 3 * 3600_000);
    await db.tx(async (tx) => {
      const id = await repo.insertItem(tx, f, {
        authorId: editor,
        status: 'published',
        publishedAt: at,
        createdAt: new Date(at.getTime() - 2 * dayMs),
      });
      await tx.query(`UPDATE desk_items SET approved_by = $2, approved_at = $3 WHERE id = $1`, [
        id,
        reviewer,
        new Date(at.getTime() - 3600_000),
      ]);
      await repo.setItemTags(tx, id, [topicIds.get(topic)!], unit === null ? [] : [demo.communeIds[unit]]);
      await repo.insertVersion(tx, id, 1, f, editor, null);
      await recordAudit(tx, {
        actorId: editor,
        actorLabel: 'demo-seed',
        action: 'desk.item.publish',
        entityType: 'desk.item',
        entityId: id,
      });
      keyToId.set(f.title, id);
    });
    return keyToId.get(f.title)!;
  };
  const byKey = new Map<string, number>();
  for (const fc of demoFactchecks) {
    const id = await publish(
      {
        kind: 'factcheck',
        title: fc.title,
        slug: slugify(fc.title),
        summary: fc.summary,
        body: fc.body,
        claim: fc.claim,
        appearances: [{ description: fc.appeared, url: null }],
        claimDate: new Date(Date.now() - (fc.daysAgo + 2) * dayMs).toISOString().slice(0, 10),
        verdict: fc.verdict,
        method:
          'Đối chiếu văn bản gốc, liên hệ cơ quan liên quan và xem xét số liệu công bố. Xem [phương pháp kiểm chứng](/policies/method).',
        videoUrl: null,
        posterUrl: null,
        transcript: null,
        sources: fc.sources,
      },
      fc.daysAgo,
      fc.topic,
      fc.unit,
    );
    byKey.set(fc.key, id);
  }
  for (const a of demoArticles) {
    await publish(
      {
        kind: 'article',
        title: a.title,
        slug: slugify(a.title),
        summary: a.summary,
        body: a.body,
        claim: null,
        appearances: [],
        claimDate: null,
        verdict: null,
        method: '',
        videoUrl: null,
        posterUrl: null,
        transcript: null,
        sources: a.sources,
      },
      a.daysAgo,
      a.topic,
      a.unit,
    );
  }
  const v = demoVideo;
  await publish(
    {
      kind: 'video',
      title: v.title,
      slug: slugify(v.title),
      summary: v.summary,
      body: '',
      claim: null,
      appearances: [],
      claimDate: null,
      verdict: null,
      method: '',
      videoUrl: v.videoUrl,
      posterUrl: v.posterUrl,
      transcript: v.transcript,
      sources: v.sources,
    },
    v.daysAgo,
    v.topic,
    null,
  );

  // one correction, one draft waiting for review
  const bridge = byKey.get('bridge-collapse')!;
  await repo.insertCorrection(
    db,
    bridge,
    2,
    'Sửa số hiệu kế hoạch bảo dưỡng (214 thay vì 241).',
    'Nhập nhầm khi biên tập.',
    editor,
  );
  await db.query(
    `UPDATE desk_items SET version = 2, updated_public_at = published_at + interval '1 day' WHERE id = $1`,
    [bridge],
  );
  const draft = await repo.insertItem(
    db,
    {
      kind: 'factcheck',
      title: 'Lá ổi không chữa được sốt xuất huyết',
      slug: slugify('Lá ổi không chữa được sốt xuất huyết'),
      summary: 'Sai. Chưa có bằng chứng nước lá ổi chữa sốt xuất huyết; người bệnh cần được theo dõi tại cơ sở y tế.',
      body: 'Bản nháp: đang chờ ý kiến của bác sĩ truyền nhiễm.',
      claim: 'Uống nước lá ổi chữa khỏi sốt xuất huyết.',
      appearances: [{ description: 'Bài đăng chia sẻ “bài thuốc dân gian”', url: null }],
      claimDate: null,
      verdict: 'sai',
      method: '',
      videoUrl: null,
      posterUrl: null,
      transcript: null,
      sources: [
        S('Hướng dẫn chẩn đoán, điều trị sốt xuất huyết Dengue', 'Bộ Y tế', '2023-05-01', 'Quyết định số 2760/QĐ-BYT'),
      ],
    },
    { authorId: editor, status: 'in_review' },
  );
  await repo.setItemTags(db, draft, [topicIds.get('y-te')!], [demo.communeIds[2]]);
  await repo.insertVersion(db, draft, 1, {}, editor, null);

  // residents' questions
  const adminPrincipal = {
    userId: demo.users.reviewer,
    email: 'demo-seed',
    name: 'demo',
    locale: 'vi',
    via: 'session' as const,
    grants: [{ role: 'reviewer' as const, unitId: demo.provinceId, unitPath: String(demo.provinceId) }],
  };
  const clusterFor = new Map<string, number>();
  for (const c of demoClaims) {
    const r = await fileClaim(deps, {
      text: c.text,
      unitId: c.unit === null ? null : demo.communeIds[c.unit],
      source: c.member ? 'member' : 'public',
      memberUserId: c.member ? demo.users.member : null,
      contactEmail: c.email ? 'nguoidan.demo@example.org' : null,
      createdAt: new Date(Date.now() - c.daysAgo * dayMs),
    });
    if (c.answers) clusterFor.set(c.answers, r.clusterId);
  }
  for (const [key, clusterId] of clusterFor) {
    await db.query(`UPDATE desk_claims SET notified_at = now() WHERE cluster_id = $1`, [clusterId]);
    await setClusterStatus(
      db,
      { principal: adminPrincipal, ip: null },
      clusterId,
      'answered_existing',
      byKey.get(key)!,
      null,
      deps.config.baseUrl,
    );
  }
  const guava = await db.one<{ cluster_id: number }>(
    `SELECT cluster_id FROM desk_claims WHERE text LIKE '%lá ổi%' LIMIT 1`,
  );
  if (guava)
    await setClusterStatus(
      db,
      { principal: adminPrincipal, ip: null },
      guava.cluster_id,
      'checking',
      draft,
      null,
      deps.config.baseUrl,
    );
}
