-- Row-level security: what a signed-in person may read straight from the database, as a club's
-- dashboard does with supabase-js (PostgREST sets the role `authenticated` and puts the Supabase
-- JWT's claims in `request.jwt.claims`). Members read their own attendance and reps and their
-- club's classes and chat; a club's staff read their whole club; nobody reads another club; nobody
-- writes (the backend does, as the tables' owner, which these policies do not bind); secrets (join
-- secrets, API keys) are never readable. Supabase has the roles already; elsewhere they are made.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon') THEN
    CREATE ROLE anon NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') THEN
    CREATE ROLE authenticated NOLOGIN;
  END IF;
END
$$;

-- Who belongs to which club, by Supabase user id (auth.users.id): members, and staff (coaches,
-- managers). A person's `participants.identity` is the same id when they join with Supabase Auth.
CREATE TABLE club_members (
  club_id     text NOT NULL REFERENCES clubs(id) ON DELETE CASCADE,
  user_id     text NOT NULL,
  role        text NOT NULL CHECK (role IN ('member', 'staff')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (club_id, user_id)
);
CREATE INDEX club_members_user_idx ON club_members (user_id);

CREATE SCHEMA IF NOT EXISTS fitlive;

-- The caller's user id: the `sub` claim (Supabase's auth.uid(), as text).
CREATE FUNCTION fitlive.uid() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'
$$;

-- The caller's clubs, and the clubs they are staff of. SECURITY DEFINER: policies use them
-- without the caller being able to read club_members beyond their own rows.
CREATE FUNCTION fitlive.my_clubs() RETURNS SETOF text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT club_id FROM club_members WHERE user_id = fitlive.uid()
$$;
CREATE FUNCTION fitlive.staff_clubs() RETURNS SETOF text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT club_id FROM club_members WHERE user_id = fitlive.uid() AND role = 'staff'
$$;
-- The caller's participant rows (their identity in a club they belong to).
CREATE FUNCTION fitlive.my_participants() RETURNS SETOF bigint LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT p.id FROM participants p JOIN club_members m ON m.club_id = p.club_id AND m.user_id = p.identity WHERE m.user_id = fitlive.uid()
$$;
-- Classes of the caller's clubs, and of the clubs they are staff of.
CREATE FUNCTION fitlive.my_classes() RETURNS SETOF text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT c.id FROM classes c WHERE c.club_id IN (SELECT fitlive.my_clubs())
$$;
CREATE FUNCTION fitlive.staff_classes() RETURNS SETOF text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT c.id FROM classes c WHERE c.club_id IN (SELECT fitlive.staff_clubs())
$$;
CREATE FUNCTION fitlive.staff_streams() RETURNS SETOF text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT s.id FROM streams s WHERE s.club_id IN (SELECT fitlive.staff_clubs())
$$;

REVOKE ALL ON SCHEMA fitlive FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA fitlive FROM PUBLIC;
GRANT USAGE ON SCHEMA fitlive TO authenticated;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA fitlive TO authenticated;

-- Every table: RLS on, nothing granted to the API roles unless listed below.
ALTER TABLE clubs ENABLE ROW LEVEL SECURITY;
ALTER TABLE classes ENABLE ROW LEVEL SECURITY;
ALTER TABLE participants ENABLE ROW LEVEL SECURITY;
ALTER TABLE attendance ENABLE ROW LEVEL SECURITY;
ALTER TABLE reps ENABLE ROW LEVEL SECURITY;
ALTER TABLE class_removals ENABLE ROW LEVEL SECURITY;
ALTER TABLE club_api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE chat_messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE chat_reports ENABLE ROW LEVEL SECURITY;
ALTER TABLE chat_mutes ENABLE ROW LEVEL SECURITY;
ALTER TABLE shared_files ENABLE ROW LEVEL SECURITY;
ALTER TABLE streams ENABLE ROW LEVEL SECURITY;
ALTER TABLE stream_views ENABLE ROW LEVEL SECURITY;
ALTER TABLE stream_samples ENABLE ROW LEVEL SECURITY;
ALTER TABLE recordings ENABLE ROW LEVEL SECURITY;
ALTER TABLE club_members ENABLE ROW LEVEL SECURITY;
ALTER TABLE schema_migrations ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM anon, authenticated;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM anon, authenticated;

-- Clubs: name and allowed origins of one's own clubs; never the join secret (column grant).
GRANT SELECT (id, name, allowed_origins, created_at) ON clubs TO authenticated;
CREATE POLICY clubs_own ON clubs FOR SELECT TO authenticated USING (id IN (SELECT fitlive.my_clubs()));

GRANT SELECT ON classes TO authenticated;
CREATE POLICY classes_own_club ON classes FOR SELECT TO authenticated USING (club_id IN (SELECT fitlive.my_clubs()));

GRANT SELECT ON club_members TO authenticated;
CREATE POLICY club_members_self_or_staff ON club_members FOR SELECT TO authenticated
  USING (user_id = fitlive.uid() OR club_id IN (SELECT fitlive.staff_clubs()));

GRANT SELECT ON participants TO authenticated;
CREATE POLICY participants_self_or_staff ON participants FOR SELECT TO authenticated
  USING (id IN (SELECT fitlive.my_participants()) OR club_id IN (SELECT fitlive.staff_clubs()));

GRANT SELECT ON attendance TO authenticated;
CREATE POLICY attendance_self_or_staff ON attendance FOR SELECT TO authenticated
  USING (participant_id IN (SELECT fitlive.my_participants()) OR class_id IN (SELECT fitlive.staff_classes()));

GRANT SELECT ON reps TO authenticated;
CREATE POLICY reps_self_or_staff ON reps FOR SELECT TO authenticated
  USING (participant_id IN (SELECT fitlive.my_participants()) OR class_id IN (SELECT fitlive.staff_classes()));

-- Chat: the club's members read what is not deleted; staff read everything, reports and mutes too.
GRANT SELECT ON chat_messages TO authenticated;
CREATE POLICY chat_messages_members ON chat_messages FOR SELECT TO authenticated
  USING ((class_id IN (SELECT fitlive.my_classes()) AND deleted_at IS NULL) OR class_id IN (SELECT fitlive.staff_classes()));
GRANT SELECT ON chat_reports TO authenticated;
CREATE POLICY chat_reports_staff ON chat_reports FOR SELECT TO authenticated USING (class_id IN (SELECT fitlive.staff_classes()));
GRANT SELECT ON chat_mutes TO authenticated;
CREATE POLICY chat_mutes_staff ON chat_mutes FOR SELECT TO authenticated USING (class_id IN (SELECT fitlive.staff_classes()));
GRANT SELECT ON class_removals TO authenticated;
CREATE POLICY class_removals_staff ON class_removals FOR SELECT TO authenticated USING (class_id IN (SELECT fitlive.staff_classes()));

-- Shared files: the class's club (the storage key is only a name; files are served by signed link).
GRANT SELECT ON shared_files TO authenticated;
CREATE POLICY shared_files_members ON shared_files FOR SELECT TO authenticated USING (class_id IN (SELECT fitlive.my_classes()));

-- Broadcasts, their audience and recordings: staff.
GRANT SELECT ON streams TO authenticated;
CREATE POLICY streams_staff ON streams FOR SELECT TO authenticated USING (club_id IN (SELECT fitlive.staff_clubs()));
GRANT SELECT ON stream_views TO authenticated;
CREATE POLICY stream_views_staff ON stream_views FOR SELECT TO authenticated USING (stream_id IN (SELECT fitlive.staff_streams()));
GRANT SELECT ON stream_samples TO authenticated;
CREATE POLICY stream_samples_staff ON stream_samples FOR SELECT TO authenticated USING (stream_id IN (SELECT fitlive.staff_streams()));
GRANT SELECT ON recordings TO authenticated;
CREATE POLICY recordings_staff ON recordings FOR SELECT TO authenticated USING (club_id IN (SELECT fitlive.staff_clubs()));

-- club_api_keys and schema_migrations: no grant, no policy: nobody but the backend.
