import { defineCatalog } from '../i18n/index.js';

/** The public page of published audit anchors (/audit/anchors). */
export const auditPublic = defineCatalog(
  {
    'anchors.title': 'Mốc kiểm chứng nhật ký thao tác',
    'anchors.intro':
      'Mọi thao tác của cán bộ được ghi vào một nhật ký nối chuỗi bằng mã băm. Hằng ngày máy chủ ghi lại “đầu chuỗi” (mục cuối và mã băm của nó), ký bằng khóa của cơ quan và công bố tại đây. Ai cũng có thể lưu bản sao; nếu sau này nhật ký bị xóa bớt hay viết lại, bản sao sẽ không còn khớp.',
    'anchors.mirror':
      'Lưu bản sao: tải định kỳ {feed}. Kiểm tra: npm run cli -- verify-audit --anchors TỆP-hoặc-ĐỊA-CHỈ',
    'anchors.key': 'Khóa công khai để kiểm chữ ký (Ed25519): {key}',
    'anchors.none': 'Chưa có mốc nào.',
    'anchors.at': 'Thời điểm',
    'anchors.entry': 'Mục cuối',
    'anchors.entries': 'Số mục',
    'anchors.hash': 'Mã băm (SHA-256)',
    'anchors.signature': 'Chữ ký',
    'anchors.unsigned': 'chưa ký',
  },
  {
    'anchors.title': 'Audit log anchors',
    'anchors.intro':
      'Every staff action is written to a log chained by hashes. Every day the server records the head of the chain (the last entry and its hash), signs it with the office’s key and publishes it here. Anyone may keep a copy; if the log is later cut short or rewritten, the copy no longer matches.',
    'anchors.mirror': 'Keep a copy: fetch {feed} regularly. Check: npm run cli -- verify-audit --anchors FILE-or-URL',
    'anchors.key': 'Public key that checks the signatures (Ed25519): {key}',
    'anchors.none': 'No anchor yet.',
    'anchors.at': 'Time',
    'anchors.entry': 'Last entry',
    'anchors.entries': 'Entries',
    'anchors.hash': 'Hash (SHA-256)',
    'anchors.signature': 'Signature',
    'anchors.unsigned': 'unsigned',
  },
);
