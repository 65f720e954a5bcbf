-- Handling residents' claims: a cluster is assigned to a checker with a priority, and staff reply to the residents
-- in free text (shown on each claim's status page, e-mailed to those who left an address).
ALTER TABLE desk_clusters ADD COLUMN assignee_id int REFERENCES users(id);
ALTER TABLE desk_clusters ADD COLUMN priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent'));
CREATE INDEX desk_clusters_assignee ON desk_clusters (assignee_id) WHERE assignee_id IS NOT NULL;

CREATE TABLE desk_cluster_replies (
  id serial PRIMARY KEY,
  cluster_id int NOT NULL REFERENCES desk_clusters(id) ON DELETE CASCADE,
  body text NOT NULL,
  actor_id int REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX desk_cluster_replies_cluster ON desk_cluster_replies (cluster_id, created_at);
