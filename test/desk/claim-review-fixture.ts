/** One fact-check in the shape both ClaimReview builders read (the page's item row and the feed's change row). */
export const fc = {
  kind: 'factcheck',
  canonical_url: null,
  published_at: '2026-10-31T02:00:00.000Z',
  updated_public_at: '2026-11-01T03:00:00.000Z',
  updated_at: '2026-11-01T03:00:00.000Z',
  title: 'Không có chuyện cắt nước',
  claim: 'Thành phố cắt nước 5 ngày',
  summary: 'Sai.',
  verdict_rating: 1,
  verdict_label: 'Sai',
  claim_date: '2026-10-30',
  appearances: [
    { url: 'https://example.org/p', description: 'Bài đăng trong nhóm chat' },
    { description: 'Tin nhắn Zalo' },
  ],
  path: '/factchecks/7-khong-co-chuyen-cat-nuoc',
  unit_names: ['Phường Thuận Hoá'],
  corrections: [{ what: 'Sửa ngày', why: 'Nhầm ngày', at: '2026-11-01T03:00:00.000Z' }],
};
export const unrated = { claim_date: null, appearances: [], verdict_rating: null, verdict_label: null };
