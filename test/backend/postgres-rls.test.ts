// Data on a real Postgres (Debian's postgresql, started here): the same migrations as PGlite, the
// backend's repositories on it, and the row-level security policies checked the way Supabase's
// API runs queries: `SET ROLE authenticated` (or `anon`) with the JWT's claims in
// `request.jwt.claims`. Supabase's hosted service cannot run here; its roles and claim setting are
// reproduced exactly, so the same policies hold there.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { makeApiKey } from '../../backend/auth/api-keys.js';
import { openDb, type Db } from '../../backend/store/db.js';
import { migrate } from '../../backend/store/migrate.js';
import { createRepositories, type Repositories } from '../../backend/store/repositories.js';
import { DEMO_CLASS_ID, DEMO_CLUB_ID, seedDemo } from '../../backend/store/seed.js';
import { startBackend } from '../support/backend.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';

let server: TestPostgres;
let db: Db;
let repos: Repositories;
let client: pg.Client;
const OTHER = 'riverside';

before(async () => {
  server = await startPostgres();
  db = await openDb({ databaseUrl: server.url, dataDir: ':memory:' });
  const applied = await migrate(db);
  assert.ok(applied.includes('009_row_level_security.sql'), `the migrations ran on Postgres: ${applied.join(', ')}`);
  repos = createRepositories(db);
  await seedDemo(repos);
  await repos.clubs.upsert({ id: OTHER, name: 'Riverside Gym', joinSecret: 'riverside-secret', allowedOrigins: [] });
  await repos.classes.create({ id: 'river-yoga', clubId: OTHER, title: 'River yoga', coachName: 'Zed', startsAt: null, plan: [], durationMinutes: 30, capacity: 10 });
  const k = makeApiKey();
  await repos.apiKeys.add({ id: k.id, clubId: DEMO_CLUB_ID, secretHash: k.secretHash, label: 'x' });

  // People: Ana and Ben are members of the demo club, Sam its staff; Zed is Riverside's staff.
  await db.query(`INSERT INTO club_members (club_id, user_id, role) VALUES ($1, 'u-ana', 'member'), ($1, 'u-ben', 'member'), ($1, 'u-sam', 'staff'), ($2, 'u-zed', 'staff')`, [DEMO_CLUB_ID, OTHER]);
  const ana = await repos.attendance.open({ clubId: DEMO_CLUB_ID, classId: DEMO_CLASS_ID, identity: 'u-ana', displayName: 'Ana', role: 'member' });
  const ben = await repos.attendance.open({ clubId: DEMO_CLUB_ID, classId: DEMO_CLASS_ID, identity: 'u-ben', displayName: 'Ben', role: 'member' });
  const zed = await repos.attendance.open({ clubId: OTHER, classId: 'river-yoga', identity: 'u-zed', displayName: 'Zed', role: 'coach' });
  for (const [p, n] of [[ana, 3], [ben, 5]] as const) for (let i = 0; i < n; i++) await repos.reps.record({ classId: DEMO_CLASS_ID, participantDbId: p.participantDbId, exerciseId: 'squat', opId: `op-${p.participantDbId}-${i}` });
  await repos.reps.record({ classId: 'river-yoga', participantDbId: zed.participantDbId, exerciseId: 'flow', opId: 'op-zed' });
  await repos.chat.add({ classId: DEMO_CLASS_ID, seq: 1, participantDbId: ana.participantDbId, senderKey: 'p_ana', displayName: 'Ana', role: 'member', text: 'hi', clientId: 'c1c1c1c1', sentAt: Date.now() });
  await repos.chat.add({ classId: DEMO_CLASS_ID, seq: 2, participantDbId: ben.participantDbId, senderKey: 'p_ben', displayName: 'Ben', role: 'member', text: 'rude', clientId: 'c2c2c2c2', sentAt: Date.now() });
  await repos.chat.delete(DEMO_CLASS_ID, 2, ana.participantDbId);
  await repos.chat.add({ classId: 'river-yoga', seq: 1, participantDbId: zed.participantDbId, senderKey: 'p_zed', displayName: 'Zed', role: 'coach', text: 'secret river talk', clientId: 'c3c3c3c3', sentAt: Date.now() });
  await repos.streams.create({ id: 's_demo_rls', clubId: DEMO_CLUB_ID, title: 'Live', description: '', source: { type: 'rtmp' }, maxViewers: 10, record: false, posterUrl: null, rtmpPort: null });

  client = new pg.Client({ connectionString: server.url });
  await client.connect();
});
after(async () => {
  await client?.end();
  await db?.close();
  await server?.stop();
});

/** Runs `sql` as Supabase's API would for a request with these JWT claims (or as `anon`). */
async function as(who: string | null, sql: string): Promise<{ rows: Record<string, unknown>[] } | { error: string }> {
  await client.query('BEGIN');
  try {
    await client.query(`SET LOCAL ROLE ${who !== null ? 'authenticated' : 'anon'}`);
    if (who !== null) await client.query(`SELECT set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ sub: who, role: 'authenticated', aud: 'authenticated' })]);
    const res = await client.query(sql);
    return { rows: res.rows };
  } catch (err) {
    return { error: (err as Error).message };
  } finally {
    await client.query('ROLLBACK');
  }
}
const rows = async (who: string | null, sql: string) => {
  const r = await as(who, sql);
  assert.ok('rows' in r, `${who ?? 'anon'}: ${sql}: ${'error' in r ? r.error : ''}`);
  return r.rows;
};
const denied = async (who: string | null, sql: string) => {
  const r = await as(who, sql);
  assert.ok('error' in r && /permission denied/.test(r.error), `${who ?? 'anon'} should be refused: ${sql} → ${JSON.stringify(r).slice(0, 160)}`);
};

test('members read their own attendance and reps, and their club’s classes and chat (not deleted messages)', async () => {
  const att = await rows('u-ana', 'SELECT p.identity FROM attendance a JOIN participants p ON p.id = a.participant_id');
  assert.deepEqual(att.map((r) => r.identity), ['u-ana']);
  const reps = await rows('u-ana', 'SELECT count(*)::int AS n FROM reps');
  assert.equal(reps[0]!.n, 3, 'only her own reps');
  assert.deepEqual((await rows('u-ana', 'SELECT identity FROM participants')).map((r) => r.identity), ['u-ana']);
  const classes = (await rows('u-ana', 'SELECT id, club_id FROM classes')).map((r) => r.club_id);
  assert.ok(classes.length >= 1 && classes.every((c) => c === DEMO_CLUB_ID), 'only her club’s classes');
  assert.deepEqual((await rows('u-ana', 'SELECT body FROM chat_messages ORDER BY seq')).map((r) => r.body), ['hi'], 'the deleted message is gone for members');
  assert.deepEqual((await rows('u-ana', 'SELECT id, name FROM clubs')).map((r) => r.id), [DEMO_CLUB_ID]);
  assert.deepEqual((await rows('u-ana', 'SELECT user_id FROM club_members')).map((r) => r.user_id), ['u-ana'], 'members see only themselves');
  assert.equal((await rows('u-ana', 'SELECT * FROM streams')).length, 0, 'broadcast admin is for staff');
  assert.equal((await rows('u-ana', 'SELECT * FROM chat_reports')).length, 0);
});

test('staff read their whole club, deleted messages and streams included; nobody reads another club', async () => {
  assert.deepEqual((await rows('u-sam', 'SELECT p.identity FROM attendance a JOIN participants p ON p.id = a.participant_id ORDER BY 1')).map((r) => r.identity), ['u-ana', 'u-ben']);
  assert.equal((await rows('u-sam', 'SELECT count(*)::int AS n FROM reps'))[0]!.n, 8);
  assert.deepEqual((await rows('u-sam', 'SELECT body FROM chat_messages ORDER BY seq')).map((r) => r.body), ['hi', 'rude']);
  const streams = await rows('u-sam', 'SELECT id, club_id FROM streams');
  assert.ok(streams.some((r) => r.id === 's_demo_rls') && streams.every((r) => r.club_id === DEMO_CLUB_ID), 'the club’s streams');
  assert.deepEqual((await rows('u-sam', 'SELECT user_id FROM club_members ORDER BY 1')).map((r) => r.user_id), ['u-ana', 'u-ben', 'u-sam']);

  // Riverside's staff see nothing of the demo club, and the demo club nothing of Riverside.
  assert.deepEqual((await rows('u-zed', 'SELECT body FROM chat_messages')).map((r) => r.body), ['secret river talk']);
  assert.equal((await rows('u-zed', `SELECT * FROM classes WHERE club_id = '${DEMO_CLUB_ID}'`)).length, 0);
  assert.equal((await rows('u-zed', `SELECT * FROM attendance WHERE class_id = '${DEMO_CLASS_ID}'`)).length, 0);
  assert.equal((await rows('u-sam', "SELECT * FROM chat_messages WHERE class_id = 'river-yoga'")).length, 0);
  assert.equal((await rows('u-sam', `SELECT id FROM clubs WHERE id = '${OTHER}'`)).length, 0);
  // A stranger (signed in, in no club) and a forged-looking sub see nothing.
  for (const who of ['u-stranger', "' OR 1=1 --", '']) {
    for (const table of ['classes', 'attendance', 'reps', 'chat_messages', 'participants', 'club_members', 'streams', 'recordings', 'shared_files']) {
      assert.equal((await rows(who, `SELECT * FROM ${table}`)).length, 0, `${who || '(empty sub)'} reads nothing from ${table}`);
    }
  }
});

test('secrets are never readable, nothing is writable, and anonymous callers get nothing', async () => {
  await denied('u-sam', 'SELECT join_secret FROM clubs');
  await denied('u-sam', 'SELECT * FROM clubs');
  await denied('u-sam', 'SELECT * FROM club_api_keys');
  await denied('u-sam', 'SELECT * FROM schema_migrations');
  await denied('u-sam', `UPDATE classes SET title = 'pwned'`);
  await denied('u-ana', `INSERT INTO reps (class_id, participant_id, exercise_id, op_id) VALUES ('${DEMO_CLASS_ID}', 1, 'x', 'forged-op')`);
  await denied('u-ana', `INSERT INTO club_members (club_id, user_id, role) VALUES ('${DEMO_CLUB_ID}', 'u-ana', 'staff')`);
  await denied('u-sam', 'DELETE FROM chat_messages');
  await denied('u-ana', `UPDATE club_members SET role = 'staff' WHERE user_id = 'u-ana'`);
  for (const table of ['clubs', 'classes', 'attendance', 'reps', 'chat_messages', 'participants', 'club_members', 'streams']) await denied(null, `SELECT * FROM ${table}`);
  // The policies' helpers cannot be used to read around them.
  await denied(null, 'SELECT fitlive.my_clubs()');
  assert.deepEqual((await rows('u-ana', 'SELECT fitlive.staff_clubs() AS c')).map((r) => r.c), []);
});

test('the backend itself runs on this Postgres (the owner, not bound by the policies)', async () => {
  const backend = await startBackend({ DATABASE_URL: server.url });
  try {
    const secret = (await backend.repos.clubs.get(DEMO_CLUB_ID))!.joinSecret;
    assert.ok(secret.length >= 32, 'the backend reads the join secret');
    const res = await fetch(`${backend.url}/api/public/clubs/${DEMO_CLUB_ID}/schedule`);
    assert.equal(res.status, 200);
  } finally {
    await backend.stop();
  }
});

test('nodes starting together on a fresh database migrate it once, without errors', async () => {
  await db.query('CREATE DATABASE fresh_for_nodes');
  const url = server.url.replace(/\/postgres$/, '/fresh_for_nodes');
  const nodes = await Promise.all([1, 2, 3].map(() => openDb({ databaseUrl: url, dataDir: ':memory:' })));
  try {
    const applied = await Promise.all(nodes.map((n) => migrate(n)));
    const all = applied.flat().sort();
    assert.equal(new Set(all).size, all.length, 'no migration applied twice');
    assert.ok(all.includes('001_init.sql') && all.includes('009_row_level_security.sql'), all.join(', '));
    assert.deepEqual((await nodes[0]!.query<{ n: string }>('SELECT count(*)::text AS n FROM schema_migrations')).rows[0]!.n, String(all.length));
  } finally {
    await Promise.all(nodes.map((n) => n.close()));
  }
});

test('an idle pool connection the server drops is reported, not fatal; the next query opens another', async () => {
  const lost: Error[] = [];
  const own = await openDb({ databaseUrl: server.url, dataDir: ':memory:', onPoolError: (err) => lost.push(err) });
  assert.equal((await own.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one, 1);
  const { rows } = await own.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  // An administrator (or a failover) ends that connection while it sits idle in the pool.
  await db.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
  for (let i = 0; i < 50 && lost.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(lost.length, 1, 'told once');
  assert.equal((await own.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one, 1, 'still usable');
  await own.close();
});

test('every table has row-level security on', async () => {
  const { rows } = await db.query<{ relname: string }>(
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname IN ('public', 'fitlive') AND c.relkind IN ('r', 'p') AND NOT c.relrowsecurity ORDER BY 1`,
  );
  assert.deepEqual(rows.map((r) => r.relname), [], 'tables without row-level security');
});

test("on a database with Supabase's default grants, a table made after the migrations is not readable by anon or authenticated", async () => {
  await db.query('DROP DATABASE IF EXISTS supabase_like');
  await db.query('CREATE DATABASE supabase_like');
  const url = server.url.replace(/\/postgres$/, '/supabase_like');
  const fresh = await openDb({ databaseUrl: url, dataDir: ':memory:' });
  try {
    // What Supabase sets up before any migration of ours runs.
    await fresh.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon') THEN CREATE ROLE anon NOLOGIN; END IF;
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') THEN CREATE ROLE authenticated NOLOGIN; END IF;
    END $$`);
    await fresh.query('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO anon, authenticated');
    await fresh.query('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON SEQUENCES TO anon, authenticated');
    await migrate(fresh);
    await fresh.query('CREATE TABLE later_table (id serial PRIMARY KEY, secret text)');
    const { rows } = await fresh.query<{ role: string; can: boolean }>(
      `SELECT r AS role, has_table_privilege(r, 'later_table', 'SELECT, INSERT, UPDATE, DELETE') AS can FROM unnest(ARRAY['anon', 'authenticated']) AS r`,
    );
    assert.deepEqual(rows, [{ role: 'anon', can: false }, { role: 'authenticated', can: false }]);
    const seq = await fresh.query<{ can: boolean }>(`SELECT has_sequence_privilege('anon', 'later_table_id_seq', 'USAGE') AS can`);
    assert.equal(seq.rows[0]!.can, false);
  } finally {
    await fresh.close();
  }
});
