-- Sign-in slows down by address, by client address and by device instead of locking an account: failures are
-- counted per key ('email:…', 'ip:…', 'device:…') whether or not an account has that address, so the answer
-- never tells which accounts exist, and nobody can lock an admin out of a browser it has signed in from.
CREATE TABLE login_throttle (
  key text PRIMARY KEY,
  failures int NOT NULL DEFAULT 0,
  last_failure_at timestamptz NOT NULL DEFAULT now()
);

-- Browsers an account has signed in from (a cookie holds the token): their own failures count apart.
CREATE TABLE login_devices (
  token_hash text PRIMARY KEY,
  user_id int NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_devices_user ON login_devices (user_id);

-- API tokens: what they may do ('read', or named write actions) and until when. Tokens made before this
-- migration keep reading only; a token that must write is made again with its write actions named.
ALTER TABLE api_tokens ADD COLUMN scopes text[] NOT NULL DEFAULT '{read}';
ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz;
