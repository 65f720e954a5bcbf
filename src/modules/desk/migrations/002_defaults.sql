-- The default verdict scale (editable) and the policy pages every fact-check links to (editable by admins).
INSERT INTO desk_verdicts (code, label, label_en, rating, tone, position) VALUES
  ('dung', 'Đúng', 'True', 5, 'true', 1),
  ('thieu-boi-canh', 'Thiếu bối cảnh', 'Missing context', 4, 'warn', 2),
  ('chua-du-can-cu', 'Chưa đủ căn cứ', 'Unproven', 3, 'warn', 3),
  ('gay-hieu-lam', 'Gây hiểu lầm', 'Misleading', 2, 'warn', 4),
  ('sai', 'Sai', 'False', 1, 'false', 5)
ON CONFLICT (code) DO NOTHING;

INSERT INTO desk_policies (slug, title, title_en, body, body_en) VALUES
('method', 'Phương pháp kiểm chứng', 'Our fact-checking method',
$vi$Chúng tôi chọn kiểm chứng những thông tin đang lan truyền rộng hoặc được nhiều người dân hỏi, ưu tiên thông tin ảnh hưởng đến sức khỏe, an toàn và quyền lợi của người dân.

1. **Xác định đúng thông tin cần kiểm chứng**: chép nguyên văn, ghi lại nơi và thời điểm xuất hiện (mô tả nội dung, không mô tả người đăng).
2. **Tìm nguồn gốc**: văn bản chính thức, số liệu công bố, chuyên gia độc lập, hiện trường.
3. **Đối chiếu ít nhất hai nguồn** khi có thể; mọi nguồn được liệt kê trong bài để người đọc tự kiểm tra.
4. **Kết luận theo thang**: Đúng, Thiếu bối cảnh, Chưa đủ căn cứ, Gây hiểu lầm, Sai.
5. **Hai người**: bài do một biên tập viên viết và một người khác duyệt trước khi đăng.$vi$,
$en$We check stories that are spreading widely or that many residents ask about, first those that touch health, safety and people's rights.

1. **Pin down the claim**: quote it as it circulates, note where and when it appeared (describing the content, never the person who posted it).
2. **Trace it**: official documents, published figures, independent experts, the place itself.
3. **Cross-check with at least two sources** where possible; every source is listed so readers can check for themselves.
4. **Rate it on our scale**: True, Missing context, Unproven, Misleading, False.
5. **Two people**: one editor writes, another person approves before publication.$en$),
('corrections', 'Chính sách đính chính', 'Corrections policy',
$vi$Khi phát hiện sai sót, chúng tôi sửa ngay và ghi **chú thích đính chính** ngay trên bài: ngày sửa, nội dung đã thay đổi và lý do. Mọi phiên bản của bài đều được lưu lại.

Khi phải gỡ một bài, trang của bài được thay bằng thông báo nêu ngày gỡ và lý do. Bạn đọc có thể đề nghị đính chính qua mục “Hỏi: tin này có đúng không?”.$vi$,
$en$When we find a mistake we fix it at once and add a **correction note** on the piece itself: the date, what changed and why. Every version of a piece is kept.

When a piece has to be withdrawn, its page is replaced by a notice giving the date and the reason. Readers can ask for a correction through “Ask: is this true?”.$en$),
('about', 'Chúng tôi là ai và ai tài trợ', 'Who we are and who funds us',
$vi$Chuyên mục Thông tin kiểm chứng do bộ phận thông tin của cơ quan vận hành cổng Cầu Nối thực hiện. Hoạt động được chi trả hoàn toàn từ ngân sách thường xuyên của cơ quan; chúng tôi không nhận tài trợ, quảng cáo hay tiền từ các nền tảng mạng xã hội.

Chúng tôi tuân theo các nguyên tắc của Mạng lưới Kiểm chứng Quốc tế (IFCN): không thiên vị, minh bạch nguồn, minh bạch phương pháp, minh bạch tổ chức và tài chính, đính chính công khai.$vi$,
$en$The Verified information desk is run by the information team of the office that operates the Cầu Nối portal. It is paid for entirely from the office's regular budget; we take no sponsorship, advertising or money from social-media platforms.

We follow the principles of the International Fact-Checking Network (IFCN): non-partisanship, transparent sources, transparent method, transparent organisation and funding, open corrections.$en$),
('ask', 'Cách gửi yêu cầu kiểm chứng', 'How to ask for a check',
$vi$Gửi cho chúng tôi thông tin bạn nghi ngờ tại trang [Hỏi: tin này có đúng không?](/claims/new): chép lại nội dung, thêm liên kết hoặc ảnh chụp màn hình nếu có. Bạn nhận ngay mã theo dõi và các bài kiểm chứng đã có về nội dung tương tự.

Nếu để lại thư điện tử, bạn sẽ được báo khi có kết luận. Địa chỉ này không bao giờ được công khai.$vi$,
$en$Send us the story you doubt on the [Ask: is this true?](/claims/new) page: copy its text, add a link or a screenshot if you have one. You get a tracking code at once and the fact-checks we already published on similar stories.

If you leave an email address we will tell you when the check is published. The address is never made public.$en$)
ON CONFLICT (slug) DO NOTHING;
