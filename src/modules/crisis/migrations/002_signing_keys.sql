-- Signing keys with validity periods: a key can be retired (staff change, suspected leak) without breaking the
-- verification of what it signed before. Exactly one key is current (retired_at IS NULL).

CREATE TABLE crisis_signing_keys (
  id serial PRIMARY KEY,
  -- fingerprint: first 16 hex digits of SHA-256 over the SPKI DER; what statements record in key_id
  key_id text NOT NULL UNIQUE,
  algorithm text NOT NULL DEFAULT 'Ed25519',
  public_key_pem text NOT NULL,
  -- PKCS#8 PEM, kept in the database as the settings row kept it before; never served
  private_key_pem text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  valid_from timestamptz NOT NULL DEFAULT now(),
  retired_at timestamptz,
  -- why the key was retired (staff only, never published)
  reason text,
  -- set when the key is known or suspected to be leaked: statements signed at or after this time get a warning
  compromised_since timestamptz,
  created_by int REFERENCES users(id),
  retired_by int REFERENCES users(id),
  CHECK (retired_at IS NULL OR retired_at >= valid_from),
  CHECK (compromised_since IS NULL OR retired_at IS NOT NULL)
);
CREATE UNIQUE INDEX crisis_signing_keys_one_current ON crisis_signing_keys ((true)) WHERE retired_at IS NULL;

-- The key made before this migration (kept in settings) becomes the current key, valid since it was made or since
-- its first statement, whichever is earlier, so every statement it signed keeps verifying.
INSERT INTO crisis_signing_keys (key_id, public_key_pem, private_key_pem, created_at, valid_from)
SELECT s.value->>'keyId', s.value->>'publicKeyPem', s.value->>'privateKeyPem',
       coalesce((s.value->>'createdAt')::timestamptz, now()),
       least(coalesce((s.value->>'createdAt')::timestamptz, now()),
             (SELECT min(st.released_at) FROM crisis_statements st WHERE st.key_id = s.value->>'keyId'))
FROM settings s WHERE s.key = 'crisis.signing-key';

-- One copy of the private key only.
DELETE FROM settings WHERE key = 'crisis.signing-key';

CREATE INDEX crisis_statements_key ON crisis_statements (key_id);
