// Runs the real backend for the browser (widget) tests and prints its URL on stdout.
// The test runner's origin is allowed for the demo club, as a club would list its own site.
import { DEMO_CLUB_ID } from '../../backend/store/seed.js';
import { startBackend } from './backend.js';

const server = await startBackend(process.env.SUPABASE_JWT_SECRET ? { SUPABASE_JWT_SECRET: process.env.SUPABASE_JWT_SECRET } : {});
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
