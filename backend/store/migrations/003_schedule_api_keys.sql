-- Schedules can be cancelled; clubs reach the REST API with API keys (stored hashed).
ALTER TABLE classes DROP CONSTRAINT classes_status_check;
ALTER TABLE classes ADD CONSTRAINT classes_status_check CHECK (status IN ('scheduled', 'live', 'ended', 'cancelled'));
CREATE INDEX classes_club_start_idx ON classes (club_id, starts_at);

CREATE TABLE club_api_keys (
  id          text PRIMARY KEY,
  club_id     text NOT NULL REFERENCES clubs(id) ON DELETE CASCADE,
  -- sha256 of the secret part, hex; the key itself is shown once, when made.
  secret_hash text NOT NULL,
  label       text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);
CREATE INDEX club_api_keys_club_idx ON club_api_keys (club_id);
