-- The claim query orders due jobs by (run_at, id): with run_at alone in the index, every claim
-- sorted all jobs sharing a run_at (a bulk enqueue), which made draining a large batch quadratic.
CREATE INDEX jobs_claim ON jobs (run_at, id) WHERE status = 'queued';
DROP INDEX IF EXISTS jobs_ready;
-- Finding a user's push subscriptions, and the deliveries still open.
CREATE INDEX push_subscriptions_user ON push_subscriptions (user_id);
CREATE INDEX notifications_open ON notifications (created_at) WHERE status IN ('queued', 'retrying');
