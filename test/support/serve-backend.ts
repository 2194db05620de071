// Runs the real backend for the browser (widget) tests and prints its URL on stdout.
// The test runner's origin is allowed for the demo club, as a club would list its own site.
import { DEMO_CLUB_ID } from '../../backend/store/seed.js';
import { startBackend } from './backend.js';

// Settings a test may hand down (the cluster tests run several of these against one Postgres and Redis).
const PASSED = ['SUPABASE_JWT_SECRET', 'JOIN_RATE_PER_MINUTE', 'AUTH_FAILURES_PER_MINUTE', 'PORT', 'DATABASE_URL', 'REDIS_URL', 'NODE_ID', 'NODE_URL', 'NODE_TTL_MS', 'HLS_LINK_SECRET', 'FILE_LINK_SECRET', 'HLS_DIR', 'FILES_DIR', 'MEDIASOUP_WORKERS', 'RTC_MIN_PORT', 'RTC_MAX_PORT', 'DATA_DIR', 'SOCKET_RATE_SCALE'];
const server = await startBackend(Object.fromEntries(PASSED.filter((k) => process.env[k]).map((k) => [k, process.env[k]!])));
await server.repos.clubs.setAllowedOrigins(DEMO_CLUB_ID, (process.env.ALLOW_ORIGINS ?? '').split(',').filter(Boolean));
// Supabase users in the demo club (`id:role,…`), for the sign-in tests.
for (const entry of (process.env.CLUB_MEMBERS ?? '').split(',').filter(Boolean)) {
  const [userId, role] = entry.split(':');
  await server.repos.clubMembers.set(DEMO_CLUB_ID, userId!, role === 'staff' ? 'staff' : 'member');
}
process.stdout.write(`FITLIVE_BACKEND ${server.url.replace("localhost", "127.0.0.1")}\n`);
const stop = () => void server.stop().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
