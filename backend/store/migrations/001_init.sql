-- Clubs embed FitLive; each signs its members' join tokens with its own secret.
CREATE TABLE clubs (
  id              text PRIMARY KEY,
  name            text NOT NULL,
  join_secret     text NOT NULL,
  -- Web origins allowed to embed this club's classes, besides the backend's own origin.
  allowed_origins text[] NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE classes (
  id          text PRIMARY KEY,
  club_id     text NOT NULL REFERENCES clubs(id) ON DELETE CASCADE,
  title       text NOT NULL,
  coach_name  text NOT NULL DEFAULT '',
  starts_at   timestamptz,
  status      text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'live', 'ended')),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX classes_club_idx ON classes (club_id);

-- A person known to a club, by the identity (JWT `sub`) the club gives them.
CREATE TABLE participants (
  id            bigserial PRIMARY KEY,
  club_id       text NOT NULL REFERENCES clubs(id) ON DELETE CASCADE,
  identity      text NOT NULL,
  display_name  text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (club_id, identity)
);

-- One row per visit to a live class: who, as what, from when to when.
CREATE TABLE attendance (
  id              bigserial PRIMARY KEY,
  class_id        text NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
  participant_id  bigint NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
  role            text NOT NULL CHECK (role IN ('coach', 'member')),
  joined_at       timestamptz NOT NULL DEFAULT now(),
  left_at         timestamptz
);
CREATE INDEX attendance_class_idx ON attendance (class_id);
