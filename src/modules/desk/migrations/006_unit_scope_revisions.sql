-- Content belongs to a unit: every staff action is checked against the piece's own unit (NULL: the root unit,
-- i.e. city-wide, for pieces written before units were recorded).
ALTER TABLE desk_items ADD COLUMN unit_id int REFERENCES units(id);
CREATE INDEX desk_items_unit ON desk_items (unit_id);
-- Approval names the exact version the reviewer read; publishing checks it is still the current one.
ALTER TABLE desk_items ADD COLUMN approved_version int;
UPDATE desk_items SET approved_version = version WHERE approved_by IS NOT NULL;
-- The fact-check's own canonical address (an imported archive's original page), not where the claim appeared.
ALTER TABLE desk_items ADD COLUMN canonical_url text;
-- Images carried by a piece: [{ "id": file uuid, "caption": text, "credit": text }], cleaned by the files pipeline.
ALTER TABLE desk_items ADD COLUMN images jsonb NOT NULL DEFAULT '[]';

-- A change to a published piece: a new version that goes through review while the published one stays live.
-- One pending change per piece; its fields are in `data` (the same snapshot as desk_item_versions).
CREATE TABLE desk_revisions (
  item_id int PRIMARY KEY REFERENCES desk_items(id) ON DELETE CASCADE,
  version int NOT NULL,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'in_review')),
  data jsonb NOT NULL,
  correction_what text NOT NULL,
  correction_why text NOT NULL,
  edited_by int REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

