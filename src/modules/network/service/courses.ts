/** The demo courses: short, real lessons in Vietnamese on checking information and staying safe online. */
import type { CourseInput } from '../repo.js';

export const demoCourses: CourseInput[] = [
  {
    slug: 'kiem-chung-5-buoc',
    title: 'Kiểm chứng một thông tin trong 5 bước',
    summary:
      'Trước khi chia sẻ, dành hai phút để kiểm tra: ai nói, nói ở đâu, khi nào, có bằng chứng gì và các nguồn khác nói gì.',
    passMark: 75,
    lessons: [
      {
        title: 'Dừng lại trước khi chia sẻ',
        body: `Tin giả lan nhanh vì nó đánh vào cảm xúc: sợ hãi, phẫn nộ, thương cảm. Bước đầu tiên là **dừng lại**.

![Năm bước kiểm chứng: dừng lại, tìm nguồn, kiểm tra thời gian, tìm bằng chứng, đối chiếu](/network/assets/five-steps.svg)

Hãy tự hỏi:

- Tin này làm tôi thấy thế nào? Nếu rất tức giận hoặc hoảng sợ, càng cần kiểm tra kỹ.
- Tin có kêu gọi "chia sẻ ngay", "trước khi bị xóa" không? Đây là dấu hiệu đáng ngờ.
- Tôi đã đọc cả bài hay chỉ đọc tiêu đề?`,
      },
      {
        title: 'Tìm nguồn gốc và thời điểm',
        body: `**Bước 2 — Ai nói?** Tìm người hoặc cơ quan đầu tiên đưa tin. Một ảnh chụp màn hình không phải là nguồn. Hãy tìm văn bản gốc trên cổng thông tin chính thức của cơ quan nhà nước (tên miền *.gov.vn*) hoặc trang của cơ quan báo chí được cấp phép.

**Bước 3 — Khi nào?** Nhiều tin "mới" thực ra là chuyện cũ được đăng lại. Xem ngày đăng, ngày ký văn bản, thời tiết, biển số xe, biển hiệu trong ảnh.`,
        videoUrl: 'https://www.youtube.com/watch?v=kiem-chung-demo',
        transcript:
          'Xin chào. Trong bài này, chúng ta học cách tìm nguồn gốc của một tin. Trước hết, hãy hỏi: ai là người đầu tiên nói điều này? Sau đó, hãy kiểm tra ngày đăng và ngày ký văn bản. Một bức ảnh lũ lụt năm cũ có thể được đăng lại như tin hôm nay.',
      },
      {
        title: 'Bằng chứng và đối chiếu',
        body: `**Bước 4 — Bằng chứng là gì?** Tin có dẫn số liệu, văn bản, ảnh, video cụ thể không? Số liệu có nguồn không? Ảnh có thể tìm ngược (tìm kiếm bằng hình ảnh) để xem đã xuất hiện trước đó chưa.

**Bước 5 — Các nguồn khác nói gì?** Tìm cùng thông tin trên ít nhất hai nguồn độc lập, đáng tin cậy. Nếu chỉ có một tài khoản lạ đưa tin, hãy chờ.

Nếu vẫn không chắc, **đừng chia sẻ** — hãy gửi tin đó cho bộ phận kiểm chứng qua nút "Gặp tin đáng ngờ?" trên bảng tin.`,
      },
    ],
    questions: [
      {
        kind: 'single',
        prompt: 'Bạn nhận được tin "Chia sẻ ngay trước khi bị xóa!". Việc đầu tiên nên làm là gì?',
        options: ['Chia sẻ ngay để nhiều người biết', 'Dừng lại và kiểm tra nguồn', 'Bình luận hỏi mọi người'],
        correct: [1],
        explanation: 'Lời thúc giục chia sẻ gấp là dấu hiệu đáng ngờ.',
      },
      {
        kind: 'truefalse',
        prompt: 'Ảnh chụp màn hình một văn bản là nguồn tin đủ tin cậy.',
        options: ['Đúng', 'Sai'],
        correct: [1],
        explanation: 'Cần tìm văn bản gốc trên trang chính thức.',
      },
      {
        kind: 'multiple',
        prompt: 'Những gì giúp xác định thời điểm của một bức ảnh?',
        options: ['Thời tiết, mùa trong ảnh', 'Biển hiệu, biển số xe', 'Số lượt thích', 'Tìm kiếm ngược bằng hình ảnh'],
        correct: [0, 1, 3],
      },
      {
        kind: 'single',
        prompt: 'Nếu đã kiểm tra mà vẫn không chắc, bạn nên…',
        options: [
          'Chia sẻ kèm chữ "chưa kiểm chứng"',
          'Không chia sẻ và gửi cho bộ phận kiểm chứng',
          'Xóa hết tin nhắn',
        ],
        correct: [1],
      },
    ],
  },
  {
    slug: 'lua-dao-truc-tuyen',
    title: 'Nhận biết lừa đảo trực tuyến',
    summary:
      'Các chiêu lừa phổ biến: giả danh công an, cơ quan thuế, ngân hàng; việc nhẹ lương cao; trúng thưởng; đường link lạ.',
    passMark: 75,
    lessons: [
      {
        title: 'Các chiêu lừa thường gặp',
        body: `Kẻ gian thường:

- **Giả danh cơ quan nhà nước** (công an, tòa án, thuế, bảo hiểm xã hội) gọi điện báo bạn "liên quan đến vụ án" và yêu cầu chuyển tiền để "xác minh". Cơ quan nhà nước **không bao giờ** làm việc qua điện thoại và yêu cầu chuyển tiền.
- **Việc nhẹ lương cao**: làm nhiệm vụ thích video, đặt đơn hàng ảo, phải nạp tiền trước.
- **Trúng thưởng, quà tặng**: yêu cầu nộp "phí nhận quà".
- **Người quen nhờ chuyển tiền** qua tài khoản mạng xã hội bị chiếm, có khi kèm video giả mặt.`,
      },
      {
        title: 'Đường link, mã OTP và ứng dụng lạ',
        body: `- Không bấm vào đường link lạ trong tin nhắn, kể cả khi có tên ngân hàng. Hãy tự gõ địa chỉ trang web hoặc mở ứng dụng chính thức.
- **Không bao giờ cho ai mã OTP**, kể cả người xưng là nhân viên ngân hàng.
- Không cài ứng dụng từ đường link được gửi qua tin nhắn (ví dụ "ứng dụng dịch vụ công" giả). Chỉ cài từ kho ứng dụng chính thức.
- Khi nghi ngờ: cúp máy, gọi lại số tổng đài chính thức, báo cho công an nơi cư trú.`,
      },
    ],
    questions: [
      {
        kind: 'truefalse',
        prompt: 'Công an có thể gọi điện yêu cầu bạn chuyển tiền vào tài khoản tạm giữ để xác minh.',
        options: ['Đúng', 'Sai'],
        correct: [1],
        explanation: 'Cơ quan nhà nước không yêu cầu chuyển tiền qua điện thoại.',
      },
      {
        kind: 'single',
        prompt: 'Một người xưng là nhân viên ngân hàng xin mã OTP để "hủy giao dịch lỗi". Bạn làm gì?',
        options: [
          'Đọc mã OTP',
          'Không cung cấp, gọi tổng đài chính thức của ngân hàng',
          'Gửi mã qua tin nhắn thay vì đọc',
        ],
        correct: [1],
      },
      {
        kind: 'multiple',
        prompt: 'Dấu hiệu nào cho thấy một lời mời làm việc có thể là lừa đảo?',
        options: [
          'Phải nạp tiền trước để nhận nhiệm vụ',
          'Hứa thu nhập rất cao cho việc rất đơn giản',
          'Có hợp đồng lao động ký tại trụ sở công ty',
          'Liên lạc chỉ qua ứng dụng nhắn tin',
        ],
        correct: [0, 1, 3],
      },
      {
        kind: 'single',
        prompt: 'Nên cài ứng dụng dịch vụ công từ đâu?',
        options: [
          'Đường link trong tin nhắn SMS',
          'Kho ứng dụng chính thức (App Store, Google Play)',
          'Tệp gửi qua Zalo',
        ],
        correct: [1],
      },
    ],
  },
  {
    slug: 'anh-chinh-sua-deepfake',
    title: 'Nhận biết ảnh bị chỉnh sửa và video giả (deepfake)',
    summary:
      'Ảnh cũ gán chuyện mới, ảnh ghép, và video giả mặt, giả giọng bằng trí tuệ nhân tạo: cách nhận ra và kiểm tra.',
    passMark: 70,
    lessons: [
      {
        title: 'Ảnh cũ, ảnh ghép',
        body: `Phần lớn ảnh gây hiểu lầm **không bị chỉnh sửa**: đó là ảnh thật nhưng chụp ở nơi khác, thời điểm khác.

![Tìm kiếm ngược bằng hình ảnh: tải ảnh lên công cụ tìm kiếm để xem ảnh đã xuất hiện ở đâu, khi nào](/network/assets/reverse-search.svg)

Cách kiểm tra:

1. Tìm kiếm ngược bằng hình ảnh để biết ảnh xuất hiện lần đầu khi nào.
2. Quan sát bóng đổ, ánh sáng, đường viền quanh người và vật: ảnh ghép thường có viền lạ, bóng không khớp hướng nắng.
3. Phóng to chữ trong ảnh: chữ bị méo, sai chính tả là dấu hiệu đáng ngờ.`,
      },
      {
        title: 'Video và giọng nói giả bằng AI',
        body: `Deepfake là video hoặc giọng nói được tạo bằng trí tuệ nhân tạo để giả một người thật.

Dấu hiệu: khuôn mặt mờ hoặc nhòe khi quay đầu, mắt ít chớp, khẩu hình không khớp lời, ánh sáng trên mặt khác với nền, giọng đều đều thiếu cảm xúc, cuộc gọi video rất ngắn và "mạng yếu".

Khi người quen gọi video nhờ chuyển tiền: **cúp máy và gọi lại số điện thoại bạn đã biết**, hoặc hỏi một điều chỉ hai người biết.`,
        videoUrl: 'https://www.youtube.com/watch?v=deepfake-demo',
        transcript:
          'Video giả bằng trí tuệ nhân tạo ngày càng khó nhận ra. Hãy chú ý khẩu hình, ánh sáng và những cử động bất thường. Quan trọng nhất: xác minh qua một kênh khác trước khi làm theo yêu cầu chuyển tiền.',
      },
    ],
    questions: [
      {
        kind: 'single',
        prompt: 'Cách nhanh nhất để biết một bức ảnh "lũ lụt hôm nay" có phải ảnh cũ không?',
        options: ['Đếm số lượt chia sẻ', 'Tìm kiếm ngược bằng hình ảnh', 'Hỏi người đăng'],
        correct: [1],
      },
      {
        kind: 'multiple',
        prompt: 'Dấu hiệu của video deepfake:',
        options: [
          'Khẩu hình không khớp lời nói',
          'Khuôn mặt nhòe khi quay đầu',
          'Video có phụ đề',
          'Ánh sáng trên mặt khác với nền',
        ],
        correct: [0, 1, 3],
      },
      {
        kind: 'truefalse',
        prompt: 'Mọi ảnh gây hiểu lầm đều đã bị chỉnh sửa bằng phần mềm.',
        options: ['Đúng', 'Sai'],
        correct: [1],
        explanation: 'Nhiều ảnh là ảnh thật nhưng bị gán sai bối cảnh.',
      },
    ],
  },
  {
    slug: 'bao-ve-tai-khoan',
    title: 'Bảo vệ tài khoản và dữ liệu cá nhân',
    summary: 'Mật khẩu mạnh, xác thực hai lớp, cẩn trọng với thông tin cá nhân khi chia sẻ trên mạng.',
    passMark: 75,
    lessons: [
      {
        title: 'Mật khẩu và xác thực hai lớp',
        body: `- Dùng **cụm mật khẩu** dài (ví dụ bốn từ ngẫu nhiên ghép lại) thay vì mật khẩu ngắn có ký tự đặc biệt.
- **Mỗi tài khoản một mật khẩu riêng.** Một trang bị lộ không kéo theo các tài khoản khác. Trình quản lý mật khẩu giúp nhớ hộ.
- Bật **xác thực hai lớp** cho Zalo, Facebook, thư điện tử và ngân hàng.
- Thường xuyên xem các thiết bị đang đăng nhập và đăng xuất thiết bị lạ.`,
      },
      {
        title: 'Dữ liệu cá nhân khi chia sẻ',
        body: `Theo quy định về bảo vệ dữ liệu cá nhân, số căn cước, ngày sinh, địa chỉ, số điện thoại là dữ liệu cần được bảo vệ.

- Không đăng ảnh căn cước, vé máy bay, hóa đơn có mã vạch lên mạng xã hội.
- Khi chia sẻ ảnh người khác, đặc biệt là trẻ em, hãy hỏi ý kiến họ hoặc cha mẹ.
- Cẩn thận với các trò chơi "tên bạn là gì nếu…" dùng ngày sinh, tên mẹ: đó thường là câu hỏi bảo mật.
- Là thành viên mạng lưới, bạn chia sẻ bằng tài khoản của chính mình; đừng đưa mật khẩu cho bất kỳ ai "đăng hộ".`,
      },
    ],
    questions: [
      {
        kind: 'single',
        prompt: 'Mật khẩu nào an toàn hơn?',
        options: ['Hue@2025', 'may-bay-giay-song-huong-mua-thu', '12345678'],
        correct: [1],
      },
      {
        kind: 'truefalse',
        prompt: 'Dùng chung một mật khẩu cho mọi tài khoản là an toàn nếu mật khẩu đủ dài.',
        options: ['Đúng', 'Sai'],
        correct: [1],
      },
      {
        kind: 'multiple',
        prompt: 'Không nên đăng công khai những gì?',
        options: [
          'Ảnh căn cước công dân',
          'Vé máy bay có mã vạch',
          'Bài kiểm chứng chính thức của tỉnh',
          'Ngày sinh đầy đủ kèm tên mẹ',
        ],
        correct: [0, 1, 3],
      },
      {
        kind: 'single',
        prompt: 'Người phụ trách nhóm xin mật khẩu Facebook của bạn để "đăng bài hộ". Bạn nên…',
        options: [
          'Đưa mật khẩu vì là người quen',
          'Từ chối: bạn tự chia sẻ bằng tài khoản của mình',
          'Đổi mật khẩu rồi đưa mật khẩu mới',
        ],
        correct: [1],
      },
    ],
  },
];
