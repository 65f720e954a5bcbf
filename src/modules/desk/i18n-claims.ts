import { defineCatalog } from '../../platform/i18n/index.js';

/** The resident's side of "is this true?": the status page after asking. */
export const ct = defineCatalog(
  {
    'claim.sentPanel': 'Đã nhận câu hỏi của bạn',
    'claim.codeLabel': 'Mã theo dõi của bạn',
    'claim.keepCode': 'Hãy lưu mã này hoặc đánh dấu trang này để xem lại câu trả lời.',
    'claim.next': 'Điều gì xảy ra tiếp theo',
    'claim.nextNew': 'Bộ phận kiểm chứng đọc câu hỏi của bạn, tìm nguồn chính thức và trả lời ngay tại trang này.',
    'claim.nextChecking':
      'Bộ phận kiểm chứng đang kiểm tra thông tin này với các nguồn chính thức; kết luận sẽ hiện tại trang này.',
    'claim.nextAnsweredAuto':
      'Bài kiểm chứng bên dưới đã trả lời nội dung bạn hỏi. Bộ phận kiểm chứng vẫn đọc câu hỏi và sẽ báo tại trang này nếu có điều khác.',
    'claim.nextDone': 'Câu hỏi của bạn đã có câu trả lời bên dưới.',
    'claim.nextNotCheckable': 'Bộ phận kiểm chứng không thể kiểm chứng nội dung này; lý do ở bên dưới.',
    'claim.expected': 'Thời gian dự kiến: trả lời trước ngày {date} (trong vòng {days} ngày).',
    'claim.expectedLate': 'Câu hỏi đã quá thời gian dự kiến ({date}); chúng tôi xin lỗi và vẫn đang xử lý.',
    'claim.emailNote': 'Nếu bạn đã để lại thư điện tử, chúng tôi sẽ gửi thư khi có kết luận.',
    'claim.yourQuestion': 'Nội dung bạn hỏi',
    'claim.deskAnswer': 'Câu trả lời của bộ phận kiểm chứng',
    'claim.shownRelatedHint':
      'Khi bạn gửi câu hỏi, chúng tôi đã tìm thấy các bài này về nội dung gần giống. Chúng không phải là kết luận về câu hỏi của bạn.',
    'claim.askAnother': 'Hỏi về một tin khác',
  },
  {
    'claim.sentPanel': 'We received your question',
    'claim.codeLabel': 'Your tracking code',
    'claim.keepCode': 'Keep this code or bookmark this page to come back for the answer.',
    'claim.next': 'What happens next',
    'claim.nextNew': 'The fact-checking desk reads your question, looks for official sources and answers on this page.',
    'claim.nextChecking':
      'The fact-checking desk is checking this story against official sources; the conclusion will appear on this page.',
    'claim.nextAnsweredAuto':
      'The fact-check below answers what you asked about. The desk still reads your question and will say so on this page if anything differs.',
    'claim.nextDone': 'Your question has an answer, below.',
    'claim.nextNotCheckable': 'The desk cannot check this story; the reason is below.',
    'claim.expected': 'Expected time: an answer by {date} (within {days} days).',
    'claim.expectedLate': 'Your question is past the expected time ({date}); we apologise and are still working on it.',
    'claim.emailNote': 'If you left an e-mail address, we will write to you when there is a conclusion.',
    'claim.yourQuestion': 'What you asked about',
    'claim.deskAnswer': 'The fact-checking desk’s answer',
    'claim.shownRelatedHint':
      'When you asked, we found these fact-checks about similar stories. They are not a verdict on your question.',
    'claim.askAnother': 'Ask about another story',
  },
);
