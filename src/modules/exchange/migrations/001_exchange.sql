-- Fact-check exchange between installations, and import of unsigned ClaimReview sources.
-- Pulled items live here, apart from the desk's own work: read-only, attributed to their source.

CREATE TABLE exchange_sources (
  id serial PRIMARY KEY,
  -- 'partner': another installation, signed and pinned; 'feed': an unsigned DataFeed; 'pages': unsigned article pages
  kind text NOT NULL CHECK (kind IN ('partner', 'feed', 'pages')),
  url text NOT NULL UNIQUE,
  name text NOT NULL DEFAULT '',
  home_url text,
  page_urls jsonb NOT NULL DEFAULT '[]',
  fingerprint text,
  public_key_pem text,
  key_id text,
  -- early warning, opt-in on each side: we show them our open clusters / we read theirs
  share_clusters boolean NOT NULL DEFAULT false,
  receive_clusters boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused')),
  problem text,
  problem_detail text,
  problem_at timestamptz,
  cursor timestamptz,
  etag text,
  failures int NOT NULL DEFAULT 0,
  next_pull_at timestamptz NOT NULL DEFAULT now(),
  last_pull_at timestamptz,
  last_ok_at timestamptz,
  created_by int REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE exchange_items (
  id serial PRIMARY KEY,
  source_id int NOT NULL REFERENCES exchange_sources(id) ON DELETE CASCADE,
  remote_id text NOT NULL,
  url text NOT NULL,
  claim text NOT NULL DEFAULT '',
  title text NOT NULL DEFAULT '',
  summary text NOT NULL DEFAULT '',
  rating_value int,
  rating_name text,
  appearances jsonb NOT NULL DEFAULT '[]',
  corrections jsonb NOT NULL DEFAULT '[]',
  places text[] NOT NULL DEFAULT '{}',
  author_name text NOT NULL DEFAULT '',
  author_url text,
  language text,
  date_published timestamptz,
  date_modified timestamptz,
  removed_at timestamptz,
  removed_reason text,
  fetched_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source_id, remote_id)
);
CREATE INDEX exchange_items_list ON exchange_items (date_modified DESC) WHERE removed_at IS NULL;

CREATE TABLE exchange_clusters (
  id serial PRIMARY KEY,
  source_id int NOT NULL REFERENCES exchange_sources(id) ON DELETE CASCADE,
  remote_id text NOT NULL,
  text text NOT NULL,
  size int NOT NULL,
  first_seen timestamptz NOT NULL,
  last_seen timestamptz NOT NULL,
  fetched_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source_id, remote_id)
);
CREATE INDEX exchange_clusters_recent ON exchange_clusters (last_seen DESC);
