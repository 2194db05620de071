// The backend of `npm run bench:chat`, in its own process so the 1,000 bench clients do not share
// its event loop. Forked by chat-load.ts with an IPC channel; never run by hand.
//   → { type: 'ready', url, secret, classId }                once up, with a class of CHAT_CAPACITY seats
//   ← { type: 'mem' }        → { type: 'mem', ... }          process.memoryUsage() after a full GC, plus the mediasoup workers' RSS
//   ← { type: 'cpu' }        → { type: 'cpu', ... }          CPU time and event-loop utilisation since the previous 'cpu'
//   ← { type: 'stop' }                                       stops the backend and exits
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { DEMO_CLUB_ID } from '../../backend/store/seed.js';
import { startBackend } from '../support/backend.js';

const capacity = Number(process.env.CHAT_CAPACITY ?? 1100);
const classId = 'chat-bench';

const server = await startBackend({ DATA_DIR: ':memory:', LOG_LEVEL: 'warn', JOIN_RATE_PER_MINUTE: '10000000' });
await server.repos.classes.create({ id: classId, clubId: DEMO_CLUB_ID, title: 'Chat bench', coachName: 'Bench', startsAt: null, plan: [], durationMinutes: 60, capacity });
const secret = (await server.repos.clubs.get(DEMO_CLUB_ID))!.joinSecret;

/** Resident set of another process (the mediasoup workers), from /proc; 0 where there is none. */
function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

let cpuMark = process.cpuUsage();
let eluMark = performance.eventLoopUtilization();

process.on('message', async (msg: { type: string }) => {
  if (msg.type === 'mem') {
    const gc = (globalThis as { gc?: () => void }).gc;
    // Twice, a moment apart: weak callbacks and finalisers of the first pass are collected by the second.
    gc?.();
    await new Promise((r) => setTimeout(r, 100));
    gc?.();
    const m = process.memoryUsage();
    process.send!({ type: 'mem', rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, workerRss: server.workerPids().reduce((s, pid) => s + rssOf(pid), 0), gc: !!gc });
  } else if (msg.type === 'cpu') {
    const cpu = process.cpuUsage(cpuMark);
    const elu = performance.eventLoopUtilization(eluMark);
    cpuMark = process.cpuUsage();
    eluMark = performance.eventLoopUtilization();
    process.send!({ type: 'cpu', cpuMs: (cpu.user + cpu.system) / 1000, elu: elu.utilization });
  } else if (msg.type === 'stop') {
    // No clean stop: with 1,000 seats, each leave would send the shrinking class state to the
    // rest. Exiting at once still writes a --cpu-prof profile (CHAT_BACKEND_ARGS=--cpu-prof).
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0)); // the bench died: do not linger
process.send!({ type: 'ready', url: server.url.replace('localhost', '127.0.0.1'), secret, classId });
