-- Chat, its moderation, the whiteboard and shared files.
ALTER TABLE clubs ADD COLUMN chat_blocked_words text[] NOT NULL DEFAULT '{}';
ALTER TABLE classes ADD COLUMN board jsonb;

-- Every acknowledged chat message. `seq` is the class's order; `client_id` makes a retried send
-- return the stored message instead of a second one.
CREATE TABLE chat_messages (
  id              bigserial PRIMARY KEY,
  class_id        text NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
  seq             integer NOT NULL,
  participant_id  bigint NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
  -- The live participant id (stable per person and class) the widgets know them by.
  sender_key      text NOT NULL,
  display_name    text NOT NULL,
  role            text NOT NULL CHECK (role IN ('coach', 'member')),
  body            text NOT NULL,
  client_id       text NOT NULL,
  sent_at         timestamptz NOT NULL DEFAULT now(),
  deleted_at      timestamptz,
  deleted_by      bigint REFERENCES participants(id) ON DELETE SET NULL,
  UNIQUE (class_id, seq),
  UNIQUE (class_id, participant_id, client_id)
);

CREATE TABLE chat_reports (
  id              bigserial PRIMARY KEY,
  class_id        text NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
  seq             integer NOT NULL,
  reporter_id     bigint NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
  reason          text NOT NULL DEFAULT '',
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (class_id, seq, reporter_id)
);

CREATE TABLE chat_mutes (
  class_id    text NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
  identity    text NOT NULL,
  muted_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (class_id, identity)
);

CREATE TABLE shared_files (
  id            text PRIMARY KEY,
  class_id      text NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
  name          text NOT NULL,
  content_type  text NOT NULL,
  size_bytes    integer NOT NULL,
  -- Where the bytes are: a path under the files folder, or an object in Supabase Storage.
  storage_key   text NOT NULL,
  shared_by     bigint REFERENCES participants(id) ON DELETE SET NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX shared_files_class_idx ON shared_files (class_id, created_at);
