-- What each verdict on the scale means, in both languages, for the public verdict-scale page (/desk/verdicts).
ALTER TABLE desk_verdicts ADD COLUMN meaning text NOT NULL DEFAULT '';
ALTER TABLE desk_verdicts ADD COLUMN meaning_en text NOT NULL DEFAULT '';

UPDATE desk_verdicts SET
  meaning = 'Thông tin chính xác, được nguồn đáng tin cậy xác nhận và không bỏ sót chi tiết quan trọng nào.',
  meaning_en = 'The claim is accurate, confirmed by reliable sources, and leaves out nothing important.'
WHERE code = 'dung' AND meaning = '';
UPDATE desk_verdicts SET
  meaning = 'Thông tin đúng về sự việc hoặc số liệu nhưng thiếu bối cảnh quan trọng, nên dễ khiến người đọc hiểu khác với thực tế.',
  meaning_en = 'The facts in the claim are right, but it leaves out context that changes how it is understood.'
WHERE code = 'thieu-boi-canh' AND meaning = '';
UPDATE desk_verdicts SET
  meaning = 'Chưa có đủ bằng chứng để kết luận đúng hay sai. Chúng tôi cập nhật bài khi có thêm thông tin.',
  meaning_en = 'There is not enough evidence to say whether the claim is true or false. We update the check when more is known.'
WHERE code = 'chua-du-can-cu' AND meaning = '';
UPDATE desk_verdicts SET
  meaning = 'Thông tin có chi tiết đúng nhưng bị cắt ghép, trình bày hoặc đặt sai hoàn cảnh khiến người đọc đi đến kết luận sai.',
  meaning_en = 'The claim contains true elements, but they are cut, framed or placed so that they lead people to a false conclusion.'
WHERE code = 'gay-hieu-lam' AND meaning = '';
UPDATE desk_verdicts SET
  meaning = 'Thông tin không đúng sự thật: bằng chứng và nguồn chính thức cho thấy điều ngược lại.',
  meaning_en = 'The claim is not true: the evidence and official sources show otherwise.'
WHERE code = 'sai' AND meaning = '';
