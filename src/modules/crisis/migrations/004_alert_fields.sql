-- CAP practice (issue 15): staff choose the certainty and the CAP category (a landslide is "Geo", not "Met"), write what
-- people should do (instruction), and say how long an alert stays valid (expires = sent + hours).
ALTER TABLE crisis_incidents ADD COLUMN cap_category text;
ALTER TABLE crisis_incidents ADD COLUMN cap_certainty text NOT NULL DEFAULT 'Observed'
  CHECK (cap_certainty IN ('Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown'));
ALTER TABLE crisis_incidents ADD COLUMN alert_instruction text NOT NULL DEFAULT '';
ALTER TABLE crisis_incidents ADD COLUMN alert_instruction_en text;
ALTER TABLE crisis_incidents ADD COLUMN alert_expires_hours int NOT NULL DEFAULT 24 CHECK (alert_expires_hours BETWEEN 1 AND 720);
UPDATE crisis_incidents SET cap_category = CASE type WHEN 'natural' THEN 'Met' WHEN 'public_order' THEN 'Security' WHEN 'health' THEN 'Health'
  WHEN 'infrastructure' THEN 'Infra' ELSE 'Other' END;
ALTER TABLE crisis_incidents ALTER COLUMN cap_category SET NOT NULL;
ALTER TABLE crisis_incidents ALTER COLUMN cap_category SET DEFAULT 'Other';
ALTER TABLE crisis_incidents ADD CONSTRAINT crisis_incidents_cap_category CHECK (cap_category IN
  ('Geo', 'Met', 'Safety', 'Security', 'Rescue', 'Fire', 'Health', 'Env', 'Transport', 'Infra', 'CBRNE', 'Other'));
