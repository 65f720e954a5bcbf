-- Sharing network: members (role_grants role 'member'), groups, invitations, campaigns with
-- personal short links, counted clicks and reported shares, recognition, and training courses.

CREATE TABLE network_profiles (
  user_id int PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  notify_email boolean NOT NULL DEFAULT true,
  notify_push boolean NOT NULL DEFAULT true,
  notify_webhook boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE network_groups (
  id serial PRIMARY KEY,
  unit_id int NOT NULL REFERENCES units(id),
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (unit_id, name)
);

CREATE TABLE network_group_members (
  group_id int NOT NULL REFERENCES network_groups(id) ON DELETE CASCADE,
  user_id int NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (group_id, user_id)
);
CREATE INDEX network_group_members_user ON network_group_members (user_id);

-- When members joined and left, so figures can count members over a period.
CREATE TABLE network_membership_log (
  id bigserial PRIMARY KEY,
  user_id int NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  unit_id int NOT NULL REFERENCES units(id),
  event text NOT NULL CHECK (event IN ('joined', 'left', 'removed')),
  at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE network_invites (
  id serial PRIMARY KEY,
  token text NOT NULL UNIQUE,
  unit_id int NOT NULL REFERENCES units(id),
  group_id int REFERENCES network_groups(id) ON DELETE SET NULL,
  created_by int REFERENCES users(id),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  uses int NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE network_join_requests (
  id serial PRIMARY KEY,
  invite_id int REFERENCES network_invites(id),
  unit_id int NOT NULL REFERENCES units(id),
  group_id int REFERENCES network_groups(id) ON DELETE SET NULL,
  email text NOT NULL,
  name text NOT NULL,
  phone text,
  password_hash text,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  decided_by int REFERENCES users(id),
  decided_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX network_join_requests_unit ON network_join_requests (unit_id, status);

CREATE TABLE network_campaigns (
  id serial PRIMARY KEY,
  title text NOT NULL,
  message text NOT NULL,
  unit_id int NOT NULL REFERENCES units(id),
  created_by int REFERENCES users(id),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'launched' CHECK (status IN ('launched', 'cancelled')),
  audience int NOT NULL DEFAULT 0,
  fanout_done_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX network_campaigns_active ON network_campaigns (ends_at, starts_at);

CREATE TABLE network_campaign_items (
  id serial PRIMARY KEY,
  campaign_id int NOT NULL REFERENCES network_campaigns(id) ON DELETE CASCADE,
  position int NOT NULL,
  kind text NOT NULL CHECK (kind IN ('article', 'video', 'factcheck', 'statement', 'link')),
  ref_id int,
  title text NOT NULL,
  url text NOT NULL
);
CREATE INDEX network_campaign_items_campaign ON network_campaign_items (campaign_id, position);

CREATE TABLE network_campaign_targets (
  campaign_id int NOT NULL REFERENCES network_campaigns(id) ON DELETE CASCADE,
  unit_id int REFERENCES units(id),
  group_id int REFERENCES network_groups(id),
  CHECK ((unit_id IS NULL) <> (group_id IS NULL))
);
CREATE INDEX network_campaign_targets_campaign ON network_campaign_targets (campaign_id);

-- Who the campaign reached (fan-out), and who opened it.
CREATE TABLE network_recipients (
  campaign_id int NOT NULL REFERENCES network_campaigns(id) ON DELETE CASCADE,
  user_id int NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  unit_id int NOT NULL REFERENCES units(id),
  notified_at timestamptz,
  opened_at timestamptz,
  PRIMARY KEY (campaign_id, user_id)
);
CREATE INDEX network_recipients_unit ON network_recipients (campaign_id, unit_id);
CREATE INDEX network_recipients_pending ON network_recipients (campaign_id, user_id) WHERE notified_at IS NULL;

-- One counted visit of a member's personal short link. No visitor data: only the member's unit.
CREATE TABLE network_clicks (
  id bigserial PRIMARY KEY,
  campaign_id int NOT NULL REFERENCES network_campaigns(id) ON DELETE CASCADE,
  item_id int NOT NULL REFERENCES network_campaign_items(id) ON DELETE CASCADE,
  user_id int NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  unit_id int NOT NULL REFERENCES units(id),
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX network_clicks_campaign ON network_clicks (campaign_id, unit_id);
CREATE INDEX network_clicks_at ON network_clicks (at);

-- Salted, daily-rotating hashes of recent visits, kept only for the repeat window.
CREATE UNLOGGED TABLE network_click_seen (
  fp text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);

CREATE TABLE network_shares (
  id bigserial PRIMARY KEY,
  campaign_id int NOT NULL REFERENCES network_campaigns(id) ON DELETE CASCADE,
  item_id int NOT NULL REFERENCES network_campaign_items(id) ON DELETE CASCADE,
  user_id int NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  unit_id int NOT NULL REFERENCES units(id),
  channel text NOT NULL CHECK (channel IN ('facebook', 'zalo', 'x', 'other')),
  at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (item_id, user_id, channel)
);
CREATE INDEX network_shares_campaign ON network_shares (campaign_id, unit_id);

CREATE TABLE network_commendations (
  id serial PRIMARY KEY,
  user_id int REFERENCES users(id) ON DELETE CASCADE,
  unit_id int NOT NULL REFERENCES units(id),
  reason text NOT NULL,
  is_public boolean NOT NULL DEFAULT false,
  created_by int REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE network_courses (
  id serial PRIMARY KEY,
  slug text NOT NULL UNIQUE,
  title text NOT NULL,
  summary text NOT NULL,
  pass_mark int NOT NULL CHECK (pass_mark BETWEEN 1 AND 100),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE network_lessons (
  id serial PRIMARY KEY,
  course_id int NOT NULL REFERENCES network_courses(id) ON DELETE CASCADE,
  position int NOT NULL,
  title text NOT NULL,
  body text NOT NULL,
  video_url text,
  transcript text,
  UNIQUE (course_id, position)
);

CREATE TABLE network_questions (
  id serial PRIMARY KEY,
  course_id int NOT NULL REFERENCES network_courses(id) ON DELETE CASCADE,
  position int NOT NULL,
  kind text NOT NULL CHECK (kind IN ('single', 'multiple', 'truefalse')),
  prompt text NOT NULL,
  options jsonb NOT NULL,
  correct jsonb NOT NULL,
  explanation text
);

CREATE TABLE network_assignments (
  id serial PRIMARY KEY,
  course_id int NOT NULL REFERENCES network_courses(id) ON DELETE CASCADE,
  unit_id int REFERENCES units(id),
  group_id int REFERENCES network_groups(id) ON DELETE CASCADE,
  due_date date NOT NULL,
  assigned_by int REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((unit_id IS NULL) <> (group_id IS NULL))
);

CREATE TABLE network_lesson_progress (
  user_id int NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  lesson_id int NOT NULL REFERENCES network_lessons(id) ON DELETE CASCADE,
  completed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, lesson_id)
);

CREATE TABLE network_quiz_attempts (
  id bigserial PRIMARY KEY,
  user_id int NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  course_id int NOT NULL REFERENCES network_courses(id) ON DELETE CASCADE,
  score int NOT NULL,
  passed boolean NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX network_quiz_attempts_user ON network_quiz_attempts (user_id, course_id);

CREATE TABLE network_certificates (
  code text PRIMARY KEY,
  user_id int NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  course_id int NOT NULL REFERENCES network_courses(id) ON DELETE CASCADE,
  score int NOT NULL,
  issued_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, course_id)
);
