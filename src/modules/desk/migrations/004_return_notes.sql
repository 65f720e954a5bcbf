-- A reviewer who sends a piece back to draft tells the author why: one note per return, kept with the piece.
CREATE TABLE desk_item_notes (
  id serial PRIMARY KEY,
  item_id int NOT NULL REFERENCES desk_items(id) ON DELETE CASCADE,
  version int NOT NULL,
  from_status text NOT NULL,
  note text NOT NULL,
  actor_id int REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX desk_item_notes_item ON desk_item_notes (item_id, created_at DESC);
