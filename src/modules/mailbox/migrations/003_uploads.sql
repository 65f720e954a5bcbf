-- Photos uploaded through the mailbox's forms: only these may be attached to a report or shown
-- before they are attached (a form coming back with its photos), never other modules' files.
CREATE TABLE mailbox_uploads (
  file_id uuid PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO mailbox_uploads (file_id) SELECT file_id FROM mailbox_photos ON CONFLICT DO NOTHING;
