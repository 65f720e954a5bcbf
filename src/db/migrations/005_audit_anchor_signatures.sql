-- Published anchors are signed with the installation's key (the statement signing key, Ed25519), so that a copy kept
-- elsewhere (a mirror of /audit/anchors.json, the e-mail) proves what the chain's head was and who said so.
ALTER TABLE audit_anchors ADD COLUMN signed_text text, ADD COLUMN key_id text, ADD COLUMN signature text;
