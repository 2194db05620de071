-- Camera-counted reps and corrections: each rep row says where it came from. A correction
-- takes one rep back: a camera one ('undo-camera') when there is one, else a tapped one ('undo'),
-- as decided when it was made. Counts are sums over the rows, in any order.
ALTER TABLE reps ADD COLUMN source text NOT NULL DEFAULT 'tap' CHECK (source IN ('tap', 'camera', 'undo', 'undo-camera'));
ALTER TABLE reps ADD COLUMN delta smallint NOT NULL DEFAULT 1 CHECK (delta IN (-1, 1));
