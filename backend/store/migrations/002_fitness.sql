-- The fitness class: a plan per class, schedule fields, levels in attendance, reps, removals.
ALTER TABLE classes ADD COLUMN plan jsonb NOT NULL DEFAULT '[]';
ALTER TABLE classes ADD COLUMN duration_minutes integer NOT NULL DEFAULT 45 CHECK (duration_minutes BETWEEN 1 AND 600);
ALTER TABLE classes ADD COLUMN capacity integer NOT NULL DEFAULT 50 CHECK (capacity BETWEEN 1 AND 10000);
ALTER TABLE attendance ADD COLUMN level text CHECK (level IN ('beginner', 'intermediate', 'advanced'));

-- Every acknowledged rep: one row per tap, made idempotent by the client's operation id.
CREATE TABLE reps (
  id              bigserial PRIMARY KEY,
  class_id        text NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
  participant_id  bigint NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
  exercise_id     text NOT NULL,
  op_id           text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (class_id, participant_id, op_id)
);
CREATE INDEX reps_class_idx ON reps (class_id, participant_id, exercise_id);

-- People the coach removed: they cannot come back into that class.
CREATE TABLE class_removals (
  class_id    text NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
  identity    text NOT NULL,
  removed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (class_id, identity)
);
