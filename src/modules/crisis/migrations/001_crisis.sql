-- Crisis information centre: incidents, official statements (signed), distribution, CAP alerts.

CREATE TABLE crisis_incidents (
  id serial PRIMARY KEY,
  title text NOT NULL,
  title_en text,
  type text NOT NULL CHECK (type IN ('natural', 'public_order', 'health', 'infrastructure', 'other')),
  severity text NOT NULL CHECK (severity IN ('minor', 'moderate', 'severe', 'extreme')),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'monitoring', 'closed')),
  summary text NOT NULL DEFAULT '',
  summary_en text,
  unit_id int NOT NULL REFERENCES units(id),
  spokesperson_name text NOT NULL,
  spokesperson_title text NOT NULL DEFAULT '',
  spokesperson_phone text NOT NULL DEFAULT '',
  spokesperson_email text NOT NULL DEFAULT '',
  hotlines text NOT NULL DEFAULT '',
  public_alert boolean NOT NULL DEFAULT false,
  area_polygon text,
  area_circle text,
  version int NOT NULL DEFAULT 1,
  opened_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz,
  created_by int REFERENCES users(id),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX crisis_incidents_status ON crisis_incidents (status, opened_at DESC);

CREATE TABLE crisis_incident_units (
  incident_id int NOT NULL REFERENCES crisis_incidents(id) ON DELETE CASCADE,
  unit_id int NOT NULL REFERENCES units(id),
  PRIMARY KEY (incident_id, unit_id)
);

-- The incident team: staff granted a role on this incident only.
CREATE TABLE crisis_team (
  incident_id int NOT NULL REFERENCES crisis_incidents(id) ON DELETE CASCADE,
  user_id int NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('drafter', 'spokesperson')),
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (incident_id, user_id)
);

-- Fact-check ids of the desk linked to an incident ("known to be false").
CREATE TABLE crisis_incident_factchecks (
  incident_id int NOT NULL REFERENCES crisis_incidents(id) ON DELETE CASCADE,
  item_id int NOT NULL,
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (incident_id, item_id)
);

CREATE TABLE crisis_statements (
  id serial PRIMARY KEY,
  incident_id int REFERENCES crisis_incidents(id),
  unit_id int NOT NULL REFERENCES units(id),
  refers_to int REFERENCES crisis_statements(id),
  kind text NOT NULL DEFAULT 'notice' CHECK (kind IN ('notice', 'update', 'correction')),
  title text NOT NULL,
  title_en text,
  body text NOT NULL,
  body_en text,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'released')),
  seq int,
  number text UNIQUE,
  drafted_by int REFERENCES users(id),
  approved_by int REFERENCES users(id),
  return_note text,
  released_at timestamptz,
  code text UNIQUE,
  signature text,
  key_id text,
  text_hashes text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX crisis_statements_incident ON crisis_statements (incident_id, released_at DESC);
CREATE INDEX crisis_statements_hashes ON crisis_statements USING gin (text_hashes);
CREATE INDEX crisis_statements_status ON crisis_statements (status, released_at DESC);

CREATE TABLE crisis_lists (
  id serial PRIMARY KEY,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('press', 'officials', 'unit_leaders', 'network', 'custom')),
  unit_id int NOT NULL REFERENCES units(id),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE crisis_contacts (
  id serial PRIMARY KEY,
  list_id int NOT NULL REFERENCES crisis_lists(id) ON DELETE CASCADE,
  name text NOT NULL,
  organisation text NOT NULL DEFAULT '',
  channel text NOT NULL CHECK (channel IN ('email', 'webhook')),
  -- email address, or the id of a webhook_endpoints row
  address text NOT NULL,
  locale text NOT NULL DEFAULT 'vi',
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (list_id, channel, address)
);

CREATE TABLE crisis_statement_lists (
  statement_id int NOT NULL REFERENCES crisis_statements(id) ON DELETE CASCADE,
  list_id int NOT NULL REFERENCES crisis_lists(id) ON DELETE CASCADE,
  PRIMARY KEY (statement_id, list_id)
);

-- CAP 1.2 messages: frozen when produced (a CAP message never changes; updates reference it).
CREATE TABLE crisis_alerts (
  id serial PRIMARY KEY,
  incident_id int NOT NULL REFERENCES crisis_incidents(id),
  statement_id int REFERENCES crisis_statements(id),
  identifier text NOT NULL UNIQUE,
  msg_type text NOT NULL CHECK (msg_type IN ('Alert', 'Update', 'Cancel')),
  refs text NOT NULL DEFAULT '',
  sent_at timestamptz NOT NULL DEFAULT now(),
  data jsonb NOT NULL
);
CREATE INDEX crisis_alerts_incident ON crisis_alerts (incident_id, id DESC);

-- What happened, for the public timeline and the after-action record.
CREATE TABLE crisis_events (
  id bigserial PRIMARY KEY,
  incident_id int REFERENCES crisis_incidents(id),
  statement_id int REFERENCES crisis_statements(id),
  at timestamptz NOT NULL DEFAULT now(),
  kind text NOT NULL,
  public boolean NOT NULL DEFAULT false,
  actor_label text NOT NULL,
  data jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX crisis_events_incident ON crisis_events (incident_id, at);
