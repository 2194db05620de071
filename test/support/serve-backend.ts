// Runs the real backend for the browser (widget) tests and prints its URL on stdout.
// The test runner's origin is allowed for the demo club, as a club would list its own site.
import { DEMO_CLUB_ID } from '../../backend/store/seed.js';
import { startBackend } from './backend.js';

const server = await startBackend();
await server.repos.clubs.setAllowedOrigins(DEMO_CLUB_ID, (process.env.ALLOW_ORIGINS ?? '').split(',').filter(Boolean));
process.stdout.write(`FITLIVE_BACKEND ${server.url.replace("localhost", "127.0.0.1")}\n`);
const stop = () => void server.stop().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
