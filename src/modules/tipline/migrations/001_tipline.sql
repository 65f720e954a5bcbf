-- Tiplines: residents reach the mailbox and the desk from Zalo, Messenger and Telegram.
-- Only what a case needs: the platform's user id is looked up by its HMAC (user_hash); the address needed to
-- reply is kept only while the resident has an open case or a subscription, and purged with the mailbox retention.

CREATE TABLE tipline_users (
  id serial PRIMARY KEY,
  channel text NOT NULL CHECK (channel IN ('zalo', 'messenger', 'telegram')),
  user_hash text NOT NULL,
  -- the platform's id to reply to (chat id, PSID, Zalo user id); NULL once nothing is open
  address text,
  locale text NOT NULL DEFAULT 'vi' CHECK (locale IN ('vi', 'en')),
  -- the conversation step and what was typed so far (a report being written, a claim awaiting consent)
  state jsonb NOT NULL DEFAULT '{}',
  -- given by the resident for updates the chat may not carry (outside the messaging window)
  email text,
  phone text,
  consent_at timestamptz,
  blocked_at timestamptz,
  last_inbound_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (channel, user_hash)
);

-- Event ids already taken in (replays are ignored); kept a week.
CREATE TABLE tipline_events (
  channel text NOT NULL,
  event_id text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, event_id)
);
CREATE INDEX tipline_events_received ON tipline_events (received_at);

-- Events taken in and not yet handled, per person: one person's messages are handled in the order they came.
CREATE TABLE tipline_pending (
  id bigserial PRIMARY KEY,
  channel text NOT NULL,
  user_hash text NOT NULL,
  event jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tipline_pending_user ON tipline_pending (channel, user_hash, id);

-- A question ("is this true?"), a mailbox report or a followed code: what the resident waits for.
CREATE TABLE tipline_cases (
  id serial PRIMARY KEY,
  user_id int REFERENCES tipline_users(id) ON DELETE SET NULL,
  channel text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('check', 'report', 'follow')),
  code text,
  -- opaque token of the case's status page (/tipline/s/TOKEN)
  token text NOT NULL UNIQUE,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'closed')),
  instant boolean NOT NULL DEFAULT false,
  last_seen text,
  unit_id int REFERENCES units(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  answered_at timestamptz,
  closed_at timestamptz
);
CREATE INDEX tipline_cases_open ON tipline_cases (status, kind) WHERE status = 'open';
CREATE INDEX tipline_cases_user ON tipline_cases (user_id);
CREATE INDEX tipline_cases_created ON tipline_cases (created_at);

-- The conversation (messages of open cases, for the staff inbox); purged with the mailbox retention.
CREATE TABLE tipline_messages (
  id bigserial PRIMARY KEY,
  user_id int NOT NULL REFERENCES tipline_users(id) ON DELETE CASCADE,
  direction text NOT NULL CHECK (direction IN ('in', 'out')),
  kind text NOT NULL DEFAULT 'text',
  body text NOT NULL DEFAULT '',
  case_id int REFERENCES tipline_cases(id) ON DELETE SET NULL,
  staff_user_id int REFERENCES users(id),
  -- outgoing: the notification carrying it (delivery status), NULL for incoming
  notification_id bigint,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tipline_messages_user ON tipline_messages (user_id, id);

-- Crisis alerts for a ward: opt-in, one tap to stop.
CREATE TABLE tipline_subscriptions (
  user_id int NOT NULL REFERENCES tipline_users(id) ON DELETE CASCADE,
  unit_id int NOT NULL REFERENCES units(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, unit_id)
);
CREATE INDEX tipline_subscriptions_unit ON tipline_subscriptions (unit_id);

-- Outgoing chat messages go through the platform's notification queue like e-mail and push.
ALTER TABLE notifications DROP CONSTRAINT IF EXISTS notifications_channel_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_channel_check CHECK (channel IN ('email', 'push', 'webhook', 'tipline'));
