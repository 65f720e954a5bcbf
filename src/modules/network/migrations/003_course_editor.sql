-- Courses edited in the browser: which unit owns a course (NULL: the whole platform, e.g. imported from a file),
-- who changed it last; certificates keep the course title they were issued under, so later edits never change them.
ALTER TABLE network_courses ADD COLUMN unit_id int REFERENCES units(id);
ALTER TABLE network_courses ADD COLUMN created_by int REFERENCES users(id);
ALTER TABLE network_courses ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE network_courses ADD COLUMN updated_by int REFERENCES users(id);

ALTER TABLE network_certificates ADD COLUMN course_title text;
UPDATE network_certificates k SET course_title = c.title FROM network_courses c WHERE c.id = k.course_id;

CREATE INDEX network_questions_course ON network_questions (course_id, position);
