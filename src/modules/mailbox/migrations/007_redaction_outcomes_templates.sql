-- Mailbox practice (issue 15): personal data inside the text, "not for publication", outcomes, response templates.

-- A report staff keep out of every public output (page, list, feeds, Open311, JSON); the resident still sees
-- its status through the code. Categories may make it the default (security reports).
ALTER TABLE mailbox_reports ADD COLUMN IF NOT EXISTS not_public boolean NOT NULL DEFAULT false;
ALTER TABLE mailbox_categories ADD COLUMN IF NOT EXISTS not_public_default boolean NOT NULL DEFAULT false;
UPDATE mailbox_categories SET not_public_default = true WHERE code IN ('an-ninh', 'an-ninh-trat-tu', 'security');

-- A new report (or one moved into such a category) of a "not for publication" category is not published.
CREATE FUNCTION mailbox_not_public_default() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (TG_OP = 'INSERT' OR NEW.category_id IS DISTINCT FROM OLD.category_id)
     AND EXISTS (SELECT 1 FROM mailbox_categories c WHERE c.id = NEW.category_id AND c.not_public_default) THEN
    NEW.not_public := true;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER mailbox_not_public_default BEFORE INSERT OR UPDATE OF category_id ON mailbox_reports
  FOR EACH ROW EXECUTE FUNCTION mailbox_not_public_default();

-- Outcomes: closed — fixed; closed — not fixed (with a reason); not our responsibility (passed to …); duplicate.
ALTER TABLE mailbox_reports ADD COLUMN IF NOT EXISTS outcome text CHECK (outcome IN ('fixed', 'not_fixed', 'not_ours', 'duplicate'));
-- the reason (not fixed), whom it was passed to (not ours), or the original's code (duplicate)
ALTER TABLE mailbox_reports ADD COLUMN IF NOT EXISTS outcome_note text;
ALTER TABLE mailbox_reports ADD COLUMN IF NOT EXISTS outcome_at timestamptz;
ALTER TABLE mailbox_reports ADD COLUMN IF NOT EXISTS outcome_by int REFERENCES users(id);
CREATE INDEX IF NOT EXISTS mailbox_reports_outcome ON mailbox_reports (outcome_at) WHERE outcome IS NOT NULL;

-- Passages staff hide from the public (a third person's name, an address); the report keeps the original text.
CREATE TABLE mailbox_redactions (
  id serial PRIMARY KEY,
  report_id int NOT NULL REFERENCES mailbox_reports(id) ON DELETE CASCADE,
  passage text NOT NULL CHECK (length(passage) BETWEEN 2 AND 1000),
  created_by int REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  removed_by int REFERENCES users(id),
  removed_at timestamptz
);
CREATE INDEX mailbox_redactions_report ON mailbox_redactions (report_id) WHERE removed_at IS NULL;

-- Response templates per category and agency (either may be "any"), kept by the reviewers of a unit.
CREATE TABLE mailbox_templates (
  id serial PRIMARY KEY,
  unit_id int NOT NULL REFERENCES units(id),
  category_id int REFERENCES mailbox_categories(id) ON DELETE CASCADE,
  agency_id int REFERENCES agencies(id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 150),
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
  active boolean NOT NULL DEFAULT true,
  created_by int REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mailbox_templates_category ON mailbox_templates (category_id);
