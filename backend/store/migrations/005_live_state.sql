-- A live class's state (mode, cards, timer, levels, hands), so a restarted backend picks it up.
ALTER TABLE classes ADD COLUMN live_state jsonb;
