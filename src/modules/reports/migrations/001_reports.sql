-- Long reports (longer than a live report may be) are prepared by a job; the user watches this row.
CREATE TABLE report_runs (
  id serial PRIMARY KEY,
  user_id int NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  unit_id int NOT NULL REFERENCES units(id),
  date_from date NOT NULL,
  date_to date NOT NULL,
  locale text NOT NULL DEFAULT 'vi',
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  result jsonb,
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX report_runs_user ON report_runs (user_id, created_at DESC);
