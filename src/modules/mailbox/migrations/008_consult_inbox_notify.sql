-- Issue 15, mailbox practice: consulting another agency inside a case, the deadline paused while the
-- resident is asked, per-person read marks for the inbox, and staff notification preferences and digests.

-- A request for an opinion: the consulted agency's handlers see the case while it is open and answer it here.
CREATE TABLE mailbox_consultations (
  id serial PRIMARY KEY,
  report_id int NOT NULL REFERENCES mailbox_reports(id) ON DELETE CASCADE,
  agency_id int NOT NULL REFERENCES agencies(id),
  question text NOT NULL,
  -- its own deadline, in working days from the request
  days int NOT NULL CHECK (days BETWEEN 1 AND 60),
  deadline_at timestamptz NOT NULL,
  asked_by int REFERENCES users(id),
  asked_at timestamptz NOT NULL DEFAULT now(),
  answer text,
  answered_by int REFERENCES users(id),
  answered_at timestamptz
);
CREATE INDEX mailbox_consultations_report ON mailbox_consultations (report_id);
CREATE INDEX mailbox_consultations_open ON mailbox_consultations (agency_id) WHERE answered_at IS NULL;

-- While the resident is asked for information the report's deadline_at is NULL (nothing counts it as
-- overdue); the working days left are kept here and given back when the resident answers.
CREATE TABLE mailbox_deadline_pauses (
  id serial PRIMARY KEY,
  report_id int NOT NULL REFERENCES mailbox_reports(id) ON DELETE CASCADE,
  paused_at timestamptz NOT NULL DEFAULT now(),
  days_left int NOT NULL,
  old_deadline timestamptz NOT NULL,
  resumed_at timestamptz,
  new_deadline timestamptz
);
CREATE UNIQUE INDEX mailbox_deadline_pauses_open ON mailbox_deadline_pauses (report_id) WHERE resumed_at IS NULL;

-- "Read" marks of the staff inbox, per person.
CREATE TABLE mailbox_report_reads (
  user_id int NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  report_id int NOT NULL REFERENCES mailbox_reports(id) ON DELETE CASCADE,
  read_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, report_id)
);

-- How each staff member wants to hear about new reports, routing, replies and reopenings.
CREATE TABLE mailbox_staff_prefs (
  user_id int PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  mode text NOT NULL DEFAULT 'immediate' CHECK (mode IN ('immediate', 'digest', 'off')),
  push boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Events waiting for a daily digest.
CREATE TABLE mailbox_staff_digest (
  id bigserial PRIMARY KEY,
  user_id int NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  report_id int NOT NULL REFERENCES mailbox_reports(id) ON DELETE CASCADE,
  kind text NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz
);
CREATE INDEX mailbox_staff_digest_due ON mailbox_staff_digest (user_id) WHERE sent_at IS NULL;
