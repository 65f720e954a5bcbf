-- Verified information desk: articles, videos, fact-checks, versions, corrections, policies, claims and clusters.

-- The verdict scale is configurable: labels in both languages, the ClaimReview number (1 = worst, 5 = best).
CREATE TABLE desk_verdicts (
  code text PRIMARY KEY,
  label text NOT NULL,
  label_en text NOT NULL,
  rating int NOT NULL CHECK (rating BETWEEN 1 AND 5),
  tone text NOT NULL DEFAULT 'warn' CHECK (tone IN ('true', 'false', 'warn')),
  position int NOT NULL DEFAULT 0
);

CREATE TABLE desk_topics (
  id serial PRIMARY KEY,
  slug text NOT NULL UNIQUE,
  name text NOT NULL,
  name_en text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE desk_items (
  id serial PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('article', 'video', 'factcheck')),
  external_id text UNIQUE,
  slug text NOT NULL,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'in_review', 'approved', 'scheduled', 'published', 'unpublished')),
  title text NOT NULL,
  summary text NOT NULL DEFAULT '',
  body text NOT NULL DEFAULT '',
  -- fact-checks
  claim text,
  appearances jsonb NOT NULL DEFAULT '[]',
  claim_date date,
  verdict text REFERENCES desk_verdicts(code),
  method text NOT NULL DEFAULT '',
  -- videos
  video_url text,
  poster_url text,
  transcript text,
  sources jsonb NOT NULL DEFAULT '[]',
  author_id int REFERENCES users(id),
  approved_by int REFERENCES users(id),
  approved_at timestamptz,
  publish_at timestamptz,
  published_at timestamptz,
  updated_public_at timestamptz,
  unpublished_at timestamptz,
  unpublish_reason text,
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  claim_fold text GENERATED ALWAYS AS (vn_fold(coalesce(claim, '') || ' ' || title)) STORED,
  tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('vietnamese', coalesce(claim, '') || ' ' || title), 'A') ||
    setweight(to_tsvector('vietnamese', summary), 'B') ||
    setweight(to_tsvector('vietnamese', left(body, 20000)), 'C')
  ) STORED
);
CREATE INDEX desk_items_public ON desk_items (kind, published_at DESC) WHERE status = 'published';
CREATE INDEX desk_items_status ON desk_items (status, updated_at DESC);
CREATE INDEX desk_items_tsv ON desk_items USING gin (tsv);
CREATE INDEX desk_items_claim_trgm ON desk_items USING gin (claim_fold gin_trgm_ops);

CREATE TABLE desk_item_versions (
  id serial PRIMARY KEY,
  item_id int NOT NULL REFERENCES desk_items(id) ON DELETE CASCADE,
  version int NOT NULL,
  data jsonb NOT NULL,
  actor_id int REFERENCES users(id),
  note text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (item_id, version)
);

CREATE TABLE desk_corrections (
  id serial PRIMARY KEY,
  item_id int NOT NULL REFERENCES desk_items(id) ON DELETE CASCADE,
  version int NOT NULL,
  what text NOT NULL,
  why text NOT NULL,
  actor_id int REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX desk_corrections_item ON desk_corrections (item_id, created_at);

CREATE TABLE desk_item_topics (
  item_id int NOT NULL REFERENCES desk_items(id) ON DELETE CASCADE,
  topic_id int NOT NULL REFERENCES desk_topics(id) ON DELETE CASCADE,
  PRIMARY KEY (item_id, topic_id)
);
CREATE INDEX desk_item_topics_topic ON desk_item_topics (topic_id);

CREATE TABLE desk_item_units (
  item_id int NOT NULL REFERENCES desk_items(id) ON DELETE CASCADE,
  unit_id int NOT NULL REFERENCES units(id),
  PRIMARY KEY (item_id, unit_id)
);
CREATE INDEX desk_item_units_unit ON desk_item_units (unit_id);

CREATE TABLE desk_policies (
  slug text PRIMARY KEY,
  title text NOT NULL,
  title_en text NOT NULL,
  body text NOT NULL,
  body_en text NOT NULL,
  updated_by int REFERENCES users(id),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Claims ("is this true?"): near-identical claims share a cluster whose size shows demand.
CREATE TABLE desk_clusters (
  id serial PRIMARY KEY,
  title text NOT NULL,
  fold_text text NOT NULL,
  status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'answered_existing', 'checking', 'answered', 'not_checkable')),
  reason text,
  factcheck_id int REFERENCES desk_items(id),
  size int NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  answered_at timestamptz
);
CREATE INDEX desk_clusters_fold_trgm ON desk_clusters USING gin (fold_text gin_trgm_ops);
CREATE INDEX desk_clusters_status ON desk_clusters (status, updated_at DESC);
CREATE INDEX desk_clusters_factcheck ON desk_clusters (factcheck_id);

CREATE TABLE desk_claims (
  id serial PRIMARY KEY,
  code text NOT NULL UNIQUE,
  cluster_id int NOT NULL REFERENCES desk_clusters(id),
  text text NOT NULL,
  link text,
  seen_where text,
  screenshot_id uuid REFERENCES files(id),
  unit_id int REFERENCES units(id),
  member_user_id int REFERENCES users(id),
  contact_email text,
  locale text NOT NULL DEFAULT 'vi',
  source text NOT NULL CHECK (source IN ('public', 'member', 'api')),
  created_at timestamptz NOT NULL DEFAULT now(),
  answered_at timestamptz,
  notified_at timestamptz
);
CREATE INDEX desk_claims_cluster ON desk_claims (cluster_id);
CREATE INDEX desk_claims_created ON desk_claims (created_at);
