import { defineCatalog } from '../../platform/i18n/index.js';

/** Strings of the page frame that came with issue 16: the friendly 404, the open-data page, language notes. */
export const site = defineCatalog(
  {
    'site.description':
      'Cổng thông tin chính thống của chính quyền: gửi phản ánh, hỏi “tin này có đúng không?”, theo dõi thông báo khẩn và kiểm tra văn bản.',
    'org.defaultEn': 'Cầu Nối information portal',
    'lang.onlyVi': 'Nội dung này chỉ có bằng tiếng Việt.',
    'notFound.title': 'Không tìm thấy trang',
    'notFound.body': 'Có thể địa chỉ bị gõ sai, hoặc trang đã được chuyển đi hay gỡ bỏ.',
    'notFound.typed': 'Nếu bạn gõ địa chỉ, hãy kiểm tra lại từng ký tự.',
    'notFound.search': 'Tìm bài kiểm chứng, bài viết',
    'notFound.code': 'Tra cứu phản ánh bằng mã',
    'notFound.codeHint': 'Ví dụ: PA-2026-000123',
    'notFound.lookup': 'Tra cứu',
    'notFound.links': 'Hoặc đi tới',
    'footer.developers': 'Dữ liệu mở cho nhà phát triển',
    'dev.title': 'Dữ liệu mở và API',
    'dev.intro':
      'Các địa chỉ dưới đây dành cho ứng dụng, báo chí, máy tìm kiếm và đài phát thanh muốn dùng lại thông tin của cổng. Mọi dữ liệu công khai, không có thông tin cá nhân.',
    'dev.api': 'API JSON (mô tả OpenAPI)',
    'dev.open311': 'Open311 GeoReport v2: phản ánh công khai',
    'dev.feeds': 'Nguồn tin RSS, Atom và JSON Feed của thông tin kiểm chứng',
    'dev.claimReview':
      'Dữ liệu ClaimReview (schema.org) trong mỗi bài kiểm chứng; kết luận mang điểm từ 1 (sai) đến 5 (đúng):',
    'dev.cap': 'Cảnh báo khẩn theo chuẩn CAP 1.2 (XML), qua nguồn Atom:',
    'dev.sitemap': 'Sơ đồ trang cho máy tìm kiếm',
    'dev.tokens': 'Các thao tác ghi qua API cần khóa truy cập do quản trị viên cấp.',
    'dev.verdictsSummary': 'Dành cho nhà phát triển: điểm ClaimReview của từng kết luận',
  },
  {
    'site.description':
      'The government’s official portal: report a problem, ask “is this true?”, follow emergency notices and verify official documents.',
    'org.defaultEn': 'Cầu Nối information portal',
    'lang.onlyVi': 'This content is only in Vietnamese.',
    'notFound.title': 'Page not found',
    'notFound.body': 'The address may be mistyped, or the page may have moved or been removed.',
    'notFound.typed': 'If you typed the address, check it letter by letter.',
    'notFound.search': 'Search fact-checks and articles',
    'notFound.code': 'Look up a report by its code',
    'notFound.codeHint': 'For example: PA-2026-000123',
    'notFound.lookup': 'Look up',
    'notFound.links': 'Or go to',
    'footer.developers': 'Open data for developers',
    'dev.title': 'Open data and API',
    'dev.intro':
      'These addresses are for apps, the press, search engines and broadcasters that reuse the portal’s information. All public data, no personal details.',
    'dev.api': 'JSON API (OpenAPI description)',
    'dev.open311': 'Open311 GeoReport v2: public reports',
    'dev.feeds': 'RSS, Atom and JSON Feed of verified information',
    'dev.claimReview':
      'ClaimReview data (schema.org) in every fact-check; a verdict carries a rating from 1 (false) to 5 (true):',
    'dev.cap': 'Emergency alerts as CAP 1.2 (XML), through the Atom feed:',
    'dev.sitemap': 'Sitemap for search engines',
    'dev.tokens': 'Writing through the API needs an access token from an administrator.',
    'dev.verdictsSummary': 'For developers: the ClaimReview rating of each verdict',
  },
);
