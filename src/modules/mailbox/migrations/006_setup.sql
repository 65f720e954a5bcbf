-- Set-up without a programmer: agencies with several e-mail addresses, questions per category,
-- and reports shared with another agency (its handlers see them too).
ALTER TABLE agencies ADD COLUMN IF NOT EXISTS emails text[] NOT NULL DEFAULT '{}';
UPDATE agencies SET emails = ARRAY[email] WHERE email IS NOT NULL AND email <> '' AND emails = '{}';

-- Questions the resident is asked to answer in the description, [{"vi": "…", "en": "…"}].
ALTER TABLE mailbox_categories ADD COLUMN IF NOT EXISTS questions jsonb NOT NULL DEFAULT '[]';

CREATE TABLE mailbox_report_shares (
  report_id int NOT NULL REFERENCES mailbox_reports(id) ON DELETE CASCADE,
  agency_id int NOT NULL REFERENCES agencies(id),
  shared_by int REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (report_id, agency_id)
);
CREATE INDEX mailbox_report_shares_agency ON mailbox_report_shares (agency_id);
CREATE INDEX mailbox_reports_agency ON mailbox_reports (agency_id);
