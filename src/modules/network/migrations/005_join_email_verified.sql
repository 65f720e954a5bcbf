-- A join request counts only once its e-mail address is confirmed through a link sent to it (issue 12 #6): until
-- then a leader neither sees nor can approve it, so pre-registering someone else's address gains nothing. The joiner
-- chooses a password on the confirmation page, not on the public form. Requests already decided keep their decision;
-- requests still pending from before this rule stay unconfirmed (the joiner asks again).
ALTER TABLE network_join_requests ADD COLUMN email_verified_at timestamptz;
ALTER TABLE network_join_requests ADD COLUMN verify_token_hash text;
CREATE UNIQUE INDEX network_join_requests_verify ON network_join_requests (verify_token_hash) WHERE verify_token_hash IS NOT NULL;
UPDATE network_join_requests SET email_verified_at = coalesce(decided_at, created_at) WHERE status <> 'pending';
