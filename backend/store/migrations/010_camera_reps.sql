-- Camera-counted reps and corrections: each rep row says where it came from. A correction
-- ('undo') takes one rep back; counts are sums of `delta`.
ALTER TABLE reps ADD COLUMN source text NOT NULL DEFAULT 'tap' CHECK (source IN ('tap', 'camera', 'undo'));
ALTER TABLE reps ADD COLUMN delta smallint NOT NULL DEFAULT 1 CHECK (delta IN (-1, 1));
