-- In-person training sessions with participants counted by unit, awards, and the reach members declare for the
-- groups they post into (issue 15). All counted in the period report.
CREATE TABLE network_training_sessions (
  id serial PRIMARY KEY,
  unit_id int NOT NULL REFERENCES units(id),
  held_on date NOT NULL,
  place text NOT NULL,
  topic text NOT NULL,
  created_by int REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX network_training_sessions_unit ON network_training_sessions (unit_id, held_on);

CREATE TABLE network_session_participants (
  session_id int NOT NULL REFERENCES network_training_sessions(id) ON DELETE CASCADE,
  unit_id int NOT NULL REFERENCES units(id),
  participants int NOT NULL CHECK (participants > 0),
  PRIMARY KEY (session_id, unit_id)
);

CREATE TABLE network_awards (
  id serial PRIMARY KEY,
  unit_id int NOT NULL REFERENCES units(id),
  recipient text NOT NULL,
  award_type text NOT NULL,
  level text NOT NULL,
  decision_number text NOT NULL,
  decided_on date NOT NULL,
  created_by int REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX network_awards_unit ON network_awards (unit_id, decided_on);

-- What a member says about a group they post into: its name, where it is, and how many people it reaches.
CREATE TABLE network_group_reach (
  id serial PRIMARY KEY,
  user_id int NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  unit_id int NOT NULL REFERENCES units(id),
  group_name text NOT NULL,
  platform text NOT NULL,
  reach int NOT NULL CHECK (reach >= 0),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, platform, group_name)
);
CREATE INDEX network_group_reach_unit ON network_group_reach (unit_id);
