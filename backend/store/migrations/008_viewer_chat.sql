-- Viewers of a class's broadcast write in the class chat too.
ALTER TABLE chat_messages DROP CONSTRAINT chat_messages_role_check;
ALTER TABLE chat_messages ADD CONSTRAINT chat_messages_role_check CHECK (role IN ('coach', 'member', 'viewer'));
CREATE INDEX chat_messages_sender_idx ON chat_messages (class_id, sender_key);
