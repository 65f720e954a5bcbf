-- Citizen mailbox (Hộp thư kết nối): categories, routing rules, holidays, reports, timeline, photos, Open311 keys.

CREATE TABLE mailbox_categories (
  id serial PRIMARY KEY,
  code text NOT NULL UNIQUE,
  name text NOT NULL,
  name_en text NOT NULL,
  description text NOT NULL DEFAULT '',
  description_en text NOT NULL DEFAULT '',
  -- handling time in working days
  handling_days int NOT NULL DEFAULT 10 CHECK (handling_days BETWEEN 1 AND 90),
  active boolean NOT NULL DEFAULT true,
  sort int NOT NULL DEFAULT 0
);

-- category x unit -> agency; NULL category = any category; the rule reaches the unit's subtree.
CREATE TABLE mailbox_routing_rules (
  id serial PRIMARY KEY,
  category_id int REFERENCES mailbox_categories(id) ON DELETE CASCADE,
  unit_id int NOT NULL REFERENCES units(id),
  agency_id int NOT NULL REFERENCES agencies(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX mailbox_routing_unique ON mailbox_routing_rules (COALESCE(category_id, 0), unit_id);

-- Public holidays on which deadlines do not run (weekends never count).
CREATE TABLE mailbox_holidays (
  day date PRIMARY KEY,
  name text NOT NULL
);
INSERT INTO mailbox_holidays (day, name) VALUES
  ('2025-01-01', 'Tết Dương lịch'),
  ('2025-01-27', 'Tết Nguyên đán'), ('2025-01-28', 'Tết Nguyên đán'), ('2025-01-29', 'Tết Nguyên đán'),
  ('2025-01-30', 'Tết Nguyên đán'), ('2025-01-31', 'Tết Nguyên đán'),
  ('2025-04-07', 'Giỗ Tổ Hùng Vương'), ('2025-04-30', 'Ngày Giải phóng miền Nam'), ('2025-05-01', 'Quốc tế Lao động'),
  ('2025-05-02', 'Nghỉ bù'), ('2025-09-01', 'Quốc khánh'), ('2025-09-02', 'Quốc khánh'),
  ('2026-01-01', 'Tết Dương lịch'), ('2026-01-02', 'Nghỉ bù Tết Dương lịch'),
  ('2026-02-16', 'Tết Nguyên đán'), ('2026-02-17', 'Tết Nguyên đán'), ('2026-02-18', 'Tết Nguyên đán'),
  ('2026-02-19', 'Tết Nguyên đán'), ('2026-02-20', 'Tết Nguyên đán'),
  ('2026-04-27', 'Giỗ Tổ Hùng Vương (nghỉ bù)'), ('2026-04-30', 'Ngày Giải phóng miền Nam'), ('2026-05-01', 'Quốc tế Lao động'),
  ('2026-08-31', 'Quốc khánh'), ('2026-09-01', 'Quốc khánh'), ('2026-09-02', 'Quốc khánh'),
  ('2027-01-01', 'Tết Dương lịch'),
  ('2027-02-04', 'Tết Nguyên đán'), ('2027-02-05', 'Tết Nguyên đán'), ('2027-02-08', 'Tết Nguyên đán'),
  ('2027-02-09', 'Tết Nguyên đán'), ('2027-02-10', 'Tết Nguyên đán'),
  ('2027-04-16', 'Giỗ Tổ Hùng Vương'), ('2027-04-30', 'Ngày Giải phóng miền Nam'), ('2027-05-03', 'Quốc tế Lao động (nghỉ bù)'),
  ('2027-09-02', 'Quốc khánh'), ('2027-09-03', 'Quốc khánh');

-- One counter per year for readable tracking codes (PA-2026-000123).
CREATE TABLE mailbox_counters (
  year int PRIMARY KEY,
  n int NOT NULL
);

CREATE TABLE mailbox_reports (
  id serial PRIMARY KEY,
  code text NOT NULL UNIQUE,
  -- sha256 of the private status link's token
  token_hash text NOT NULL UNIQUE,
  -- Open311 tokens/{token}: not secret, only maps to the request id
  api_token text NOT NULL UNIQUE,
  category_id int NOT NULL REFERENCES mailbox_categories(id),
  unit_id int NOT NULL REFERENCES units(id),
  agency_id int REFERENCES agencies(id),
  assignee_id int REFERENCES users(id),
  title text NOT NULL,
  description text NOT NULL,
  address text,
  lat double precision CHECK (lat BETWEEN -90 AND 90),
  lon double precision CHECK (lon BETWEEN -180 AND 180),
  contact_name text,
  contact_phone text,
  contact_email text,
  show_name boolean NOT NULL DEFAULT false,
  locale text NOT NULL DEFAULT 'vi',
  source text NOT NULL DEFAULT 'web' CHECK (source IN ('web', 'open311', 'api', 'demo')),
  status text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'accepted', 'rejected', 'assigned', 'in_progress', 'answered', 'closed', 'reopened', 'spam', 'merged')),
  reject_reason text,
  duplicate_of int REFERENCES mailbox_reports(id),
  answer_draft text,
  answer_draft_by int REFERENCES users(id),
  answer_draft_at timestamptz,
  answer text,
  answered_by int REFERENCES users(id),
  approved_by int REFERENCES users(id),
  received_at timestamptz NOT NULL DEFAULT now(),
  accepted_at timestamptz,
  assigned_at timestamptz,
  answered_at timestamptz,
  first_answered_at timestamptz,
  closed_at timestamptz,
  deadline_at timestamptz,
  answered_on_time boolean,
  reopened_count int NOT NULL DEFAULT 0,
  rating int CHECK (rating BETWEEN 1 AND 5),
  rating_comment text,
  rated_at timestamptz,
  reminded_at timestamptz,
  escalated_at timestamptz,
  escalated_unit_id int REFERENCES units(id),
  erased_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  search_tsv tsvector GENERATED ALWAYS AS (to_tsvector('vietnamese'::regconfig, title || ' ' || description || ' ' || coalesce(answer, ''))) STORED
);
CREATE INDEX mailbox_reports_unit ON mailbox_reports (unit_id, status);
CREATE INDEX mailbox_reports_status ON mailbox_reports (status, deadline_at);
CREATE INDEX mailbox_reports_received ON mailbox_reports (received_at);
CREATE INDEX mailbox_reports_answered ON mailbox_reports (answered_at DESC) WHERE answered_at IS NOT NULL;
CREATE INDEX mailbox_reports_tsv ON mailbox_reports USING gin (search_tsv);
CREATE INDEX mailbox_reports_title_trgm ON mailbox_reports USING gin (vn_fold(title) gin_trgm_ops);

-- The timeline: public (everyone), resident (the resident's private page and staff), internal (staff only).
CREATE TABLE mailbox_events (
  id bigserial PRIMARY KEY,
  report_id int NOT NULL REFERENCES mailbox_reports(id) ON DELETE CASCADE,
  at timestamptz NOT NULL DEFAULT now(),
  kind text NOT NULL,
  visibility text NOT NULL CHECK (visibility IN ('public', 'resident', 'internal')),
  actor_id int REFERENCES users(id),
  actor_label text NOT NULL,
  body text,
  data jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX mailbox_events_report ON mailbox_events (report_id, at);

CREATE TABLE mailbox_photos (
  report_id int NOT NULL REFERENCES mailbox_reports(id) ON DELETE CASCADE,
  file_id uuid NOT NULL REFERENCES files(id),
  added_by text NOT NULL DEFAULT 'resident',
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (report_id, file_id)
);
CREATE INDEX mailbox_photos_file ON mailbox_photos (file_id);

-- Open311 API keys (npm run cli -- create-api-key --name N), revocable.
CREATE TABLE mailbox_api_keys (
  id serial PRIMARY KEY,
  name text NOT NULL,
  key_hash text NOT NULL UNIQUE,
  prefix text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
