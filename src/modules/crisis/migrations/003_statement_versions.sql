-- Two-person rule on the text (issue 12, finding 1): who changed each version of a statement's text is recorded, and
-- whoever last changed it may not approve or release that version.
ALTER TABLE crisis_statements ADD COLUMN text_version int NOT NULL DEFAULT 1;
ALTER TABLE crisis_statements ADD COLUMN text_edited_by int REFERENCES users(id);
UPDATE crisis_statements SET text_edited_by = drafted_by;

CREATE TABLE crisis_statement_versions (
  statement_id int NOT NULL REFERENCES crisis_statements(id) ON DELETE CASCADE,
  version int NOT NULL,
  kind text NOT NULL,
  refers_to int,
  unit_id int NOT NULL REFERENCES units(id),
  title text NOT NULL,
  title_en text,
  body text NOT NULL,
  body_en text,
  list_ids int[] NOT NULL DEFAULT '{}',
  edited_by int REFERENCES users(id),
  edited_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (statement_id, version)
);

INSERT INTO crisis_statement_versions (statement_id, version, kind, refers_to, unit_id, title, title_en, body, body_en, list_ids, edited_by, edited_at)
SELECT s.id, 1, s.kind, s.refers_to, s.unit_id, s.title, s.title_en, s.body, s.body_en,
       coalesce((SELECT array_agg(l.list_id ORDER BY l.list_id) FROM crisis_statement_lists l WHERE l.statement_id = s.id), '{}'), s.drafted_by, s.created_at
FROM crisis_statements s;
