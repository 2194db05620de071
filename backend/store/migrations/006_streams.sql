-- Broadcasts: a class or an RTMP feed encoded to HLS for many viewers, and who watched.
CREATE TABLE streams (
  id               text PRIMARY KEY,
  club_id          text NOT NULL REFERENCES clubs(id) ON DELETE CASCADE,
  title            text NOT NULL,
  description      text NOT NULL DEFAULT '',
  source           jsonb NOT NULL,
  status           text NOT NULL DEFAULT 'idle' CHECK (status IN ('idle', 'live', 'ended')),
  max_viewers      integer NOT NULL DEFAULT 1000 CHECK (max_viewers >= 1),
  record           boolean NOT NULL DEFAULT false,
  poster_url       text,
  -- An RTMP source's ingest port (its key is derived from the club's secret, never stored).
  rtmp_port        integer,
  created_at       timestamptz NOT NULL DEFAULT now(),
  started_at       timestamptz,
  ended_at         timestamptz
);
CREATE INDEX streams_club_idx ON streams (club_id, created_at);

-- One row per viewing session (heartbeats extend it); analytics are computed from these.
CREATE TABLE stream_views (
  id            bigserial PRIMARY KEY,
  stream_id     text NOT NULL REFERENCES streams(id) ON DELETE CASCADE,
  identity      text NOT NULL,
  started_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stream_views_stream_idx ON stream_views (stream_id, identity, last_seen_at);

-- Concurrent viewers sampled while live.
CREATE TABLE stream_samples (
  stream_id  text NOT NULL REFERENCES streams(id) ON DELETE CASCADE,
  at         timestamptz NOT NULL DEFAULT now(),
  viewers    integer NOT NULL,
  PRIMARY KEY (stream_id, at)
);
