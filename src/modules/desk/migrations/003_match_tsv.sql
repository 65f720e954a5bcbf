-- A small tsvector of what a claim is matched on (claim, title, short answer): cheap to scan and rank,
-- unlike the full one, which carries the whole explanation.
ALTER TABLE desk_items ADD COLUMN match_tsv tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('vietnamese', coalesce(claim, '') || ' ' || title), 'A') || setweight(to_tsvector('vietnamese', summary), 'B')
) STORED;
CREATE INDEX desk_items_match_tsv ON desk_items USING gin (match_tsv);
