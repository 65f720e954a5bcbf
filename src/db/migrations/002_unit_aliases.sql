-- Other codes a unit is known by: the pre-2025 codes of the communes and provinces merged into it (old → new mapping,
-- `import-units --mapping`), and codes that differ between official sources. A code may name several units when an
-- old commune was split ('partial'); the units table's own code always wins.
CREATE TABLE unit_aliases (
  code text NOT NULL,
  unit_id int NOT NULL REFERENCES units(id),
  kind text NOT NULL DEFAULT 'alias' CHECK (kind IN ('alias', 'full', 'partial')),
  name text,
  source text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (code, unit_id)
);
CREATE INDEX unit_aliases_unit ON unit_aliases (unit_id);
