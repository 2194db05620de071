-- Tables, sequences and functions made by later migrations grant nothing to the database API's
-- roles until a migration says so (Supabase's own defaults grant them everything in `public`):
-- a new table is never readable by `anon` or `authenticated` by accident. Every table also keeps
-- row-level security on (test/backend/postgres-rls.test.ts checks pg_class for one without).
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM anon, authenticated;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM anon, authenticated;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON FUNCTIONS FROM anon, authenticated;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
