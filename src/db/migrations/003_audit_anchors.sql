-- Anchors of the audit chain: each records the chain's head (last entry id, its hash, when) so that a later
-- rewrite of the history below it fails verify-audit; a copy of the hash goes by e-mail to an outside party.
CREATE TABLE audit_anchors (
  id serial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  last_id bigint NOT NULL,
  hash text NOT NULL,
  entries int NOT NULL,
  emailed_to text,
  notification_id bigint
);
CREATE INDEX audit_anchors_last ON audit_anchors (last_id);

CREATE OR REPLACE FUNCTION audit_anchors_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_anchors is append-only';
END $$;
CREATE TRIGGER audit_anchors_no_update BEFORE UPDATE OR DELETE ON audit_anchors
  FOR EACH ROW EXECUTE FUNCTION audit_anchors_append_only();
CREATE TRIGGER audit_anchors_no_truncate BEFORE TRUNCATE ON audit_anchors
  FOR EACH STATEMENT EXECUTE FUNCTION audit_anchors_append_only();
