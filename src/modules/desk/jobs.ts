import type { TemplateTable } from '../../platform/notify/templates.js';

export const claimAnsweredTemplates: TemplateTable = {
  'desk.claim-answered': {
    vi: {
      subject: 'Đã có kết luận kiểm chứng cho câu hỏi {code}',
      text: 'Xin chào,\n\nCâu hỏi “tin này có đúng không?” của bạn (mã {code}) đã có câu trả lời.\n\n{title}\nKết luận: {verdict}\n\nĐọc bài kiểm chứng đầy đủ, kèm nguồn: {url}\nTheo dõi câu hỏi: {track}\n\nCảm ơn bạn đã hỏi trước khi chia sẻ.',
    },
    en: {
      subject: 'Your question {code} has been answered',
      text: 'Hello,\n\nYour “is this true?” question (code {code}) has been answered.\n\n{title}\nVerdict: {verdict}\n\nRead the full fact-check with its sources: {url}\nFollow your question: {track}\n\nThank you for asking before sharing.',
    },
  },
};

export const claimReplyTemplates: TemplateTable = {
  'desk.claim-reply': {
    vi: {
      subject: 'Trả lời về câu hỏi {code}',
      text: 'Xin chào,\n\nBộ phận kiểm chứng trả lời câu hỏi “tin này có đúng không?” của bạn (mã {code}):\n\n{reply}\n\nTheo dõi câu hỏi: {track}',
    },
    en: {
      subject: 'A reply about your question {code}',
      text: 'Hello,\n\nThe fact-checking desk replies to your “is this true?” question (code {code}):\n\n{reply}\n\nFollow your question: {track}',
    },
  },
};
