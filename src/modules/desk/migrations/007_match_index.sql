-- Claim matching keeps its term index in each app process. These tables tell every process what changed:
-- each change to something matchable appends its reference to desk_match_log under a version taken from the
-- single row of desk_match_state. That row stays locked until the writing transaction commits, so versions
-- become visible in commit order and a reader that has seen version V has seen every change up to V.

CREATE TABLE desk_match_state (
  id int PRIMARY KEY CHECK (id = 1),
  version bigint NOT NULL
);
INSERT INTO desk_match_state (id, version) VALUES (1, 0);

CREATE TABLE desk_match_log (
  version bigint NOT NULL,
  -- 'i:<desk item id>', 'x:<source key>:<id>' (a partner's fact-check), 'k:<claim id>' (a resident's claim)
  ref text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX desk_match_log_version ON desk_match_log (version);

CREATE FUNCTION desk_match_bump(refs text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE v bigint;
BEGIN
  IF refs IS NULL OR cardinality(refs) = 0 THEN RETURN; END IF;
  UPDATE desk_match_state SET version = version + 1 WHERE id = 1 RETURNING version INTO v;
  INSERT INTO desk_match_log (version, ref) SELECT v, r FROM unnest(refs) r;
END $$;

-- Partner installations' fact-checks (the exchange): matchable beside our own, below them by the source's weight.
CREATE TABLE desk_external_sources (
  key text PRIMARY KEY,
  name text NOT NULL,
  url text NOT NULL,
  weight real NOT NULL DEFAULT 0.8 CHECK (weight > 0 AND weight <= 1),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE desk_external_factchecks (
  source_key text NOT NULL REFERENCES desk_external_sources(key) ON DELETE CASCADE,
  ext_id text NOT NULL,
  claim text NOT NULL DEFAULT '',
  title text NOT NULL,
  short_answer text NOT NULL DEFAULT '',
  explanation text NOT NULL DEFAULT '',
  verdict text,
  url text NOT NULL,
  lang text NOT NULL DEFAULT 'vi',
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source_key, ext_id)
);

-- desk items: only changes that can alter what is matchable (published pieces and their matched fields)
CREATE FUNCTION desk_match_items_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM desk_match_bump(ARRAY(SELECT 'i:' || n.id FROM new_rows n WHERE n.status = 'published'));
  RETURN NULL;
END $$;
CREATE FUNCTION desk_match_items_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM desk_match_bump(ARRAY(
    SELECT 'i:' || n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE (n.status = 'published' OR o.status = 'published')
      AND (n.status, n.kind, n.title, n.summary, n.body, n.claim, n.verdict, n.slug, n.external_id)
          IS DISTINCT FROM (o.status, o.kind, o.title, o.summary, o.body, o.claim, o.verdict, o.slug, o.external_id)));
  RETURN NULL;
END $$;
CREATE FUNCTION desk_match_items_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM desk_match_bump(ARRAY(SELECT 'i:' || o.id FROM old_rows o WHERE o.status = 'published'));
  RETURN NULL;
END $$;
CREATE TRIGGER desk_match_items_ins AFTER INSERT ON desk_items REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION desk_match_items_ins();
CREATE TRIGGER desk_match_items_upd AFTER UPDATE ON desk_items REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION desk_match_items_upd();
CREATE TRIGGER desk_match_items_del AFTER DELETE ON desk_items REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION desk_match_items_del();

-- partners' fact-checks
CREATE FUNCTION desk_match_ext_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM desk_match_bump(ARRAY(SELECT 'x:' || n.source_key || ':' || n.ext_id FROM new_rows n));
  RETURN NULL;
END $$;
CREATE FUNCTION desk_match_ext_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM desk_match_bump(ARRAY(SELECT 'x:' || o.source_key || ':' || o.ext_id FROM old_rows o));
  RETURN NULL;
END $$;
CREATE TRIGGER desk_match_ext_ins AFTER INSERT ON desk_external_factchecks REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION desk_match_ext_new();
CREATE TRIGGER desk_match_ext_upd AFTER UPDATE ON desk_external_factchecks REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION desk_match_ext_new();
CREATE TRIGGER desk_match_ext_del AFTER DELETE ON desk_external_factchecks REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION desk_match_ext_old();
-- a source's name, address or weight changes what its results show and weigh: every one of its items is re-read
CREATE FUNCTION desk_match_src_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM desk_match_bump(ARRAY(SELECT 'x:' || f.source_key || ':' || f.ext_id FROM desk_external_factchecks f JOIN new_rows n ON n.key = f.source_key));
  RETURN NULL;
END $$;
CREATE TRIGGER desk_match_src_upd AFTER UPDATE ON desk_external_sources REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION desk_match_src_upd();

-- residents' claims, for clustering with the same ranker
CREATE FUNCTION desk_match_claims_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM desk_match_bump(ARRAY(SELECT 'k:' || n.id FROM new_rows n));
  RETURN NULL;
END $$;
CREATE FUNCTION desk_match_claims_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM desk_match_bump(ARRAY(SELECT 'k:' || n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE (n.cluster_id, n.text) IS DISTINCT FROM (o.cluster_id, o.text)));
  RETURN NULL;
END $$;
CREATE FUNCTION desk_match_claims_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM desk_match_bump(ARRAY(SELECT 'k:' || o.id FROM old_rows o));
  RETURN NULL;
END $$;
CREATE TRIGGER desk_match_claims_ins AFTER INSERT ON desk_claims REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION desk_match_claims_new();
CREATE TRIGGER desk_match_claims_upd AFTER UPDATE ON desk_claims REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION desk_match_claims_upd();
CREATE TRIGGER desk_match_claims_del AFTER DELETE ON desk_claims REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION desk_match_claims_del();
