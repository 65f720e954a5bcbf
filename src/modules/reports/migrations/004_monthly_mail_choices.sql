-- Who receives the monthly report of a unit: its admins unless they opted out, and anyone else who may see
-- the unit's reports and opted in. One row per explicit choice; no row means the default.
CREATE TABLE report_mail_choices (
  user_id int NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  unit_id int NOT NULL REFERENCES units(id),
  wants boolean NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, unit_id)
);
CREATE INDEX report_mail_choices_unit ON report_mail_choices (unit_id) WHERE wants;
