-- Recordings of broadcasts: HLS VOD of the top rendition, and an MP4 made on request.
CREATE TABLE recordings (
  id                text PRIMARY KEY,
  stream_id         text NOT NULL REFERENCES streams(id) ON DELETE CASCADE,
  club_id           text NOT NULL REFERENCES clubs(id) ON DELETE CASCADE,
  status            text NOT NULL DEFAULT 'recording' CHECK (status IN ('recording', 'ready', 'failed')),
  duration_seconds  real,
  mp4_status        text NOT NULL DEFAULT 'none' CHECK (mp4_status IN ('none', 'making', 'ready', 'failed')),
  started_at        timestamptz NOT NULL DEFAULT now(),
  ended_at          timestamptz
);
CREATE INDEX recordings_stream_idx ON recordings (stream_id, started_at);
CREATE INDEX recordings_club_idx ON recordings (club_id, started_at);
