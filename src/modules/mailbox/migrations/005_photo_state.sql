-- Photos are stored as sent and cleaned (re-encoded without metadata) by a job: until then they
-- are 'pending' and never served; a photo that cannot be decoded becomes 'failed' and its bytes go.
ALTER TABLE mailbox_uploads ADD COLUMN state text NOT NULL DEFAULT 'ready' CHECK (state IN ('pending', 'ready', 'failed'));
