import crypto from 'node:crypto';
import type { Plan } from '../../protocol/class-state.js';
import { makeApiKey } from '../auth/api-keys.js';
import type { Repositories } from './repositories.js';

export const DEMO_CLUB_ID = 'demo-club';
export const DEMO_CLASS_ID = 'demo-hiit';
/** The demo club's broadcast of its HIIT class (demo-site/broadcast.html). */
export const DEMO_STREAM_ID = 'demo-hiit-live';

const reps = (b: number, i: number, a: number) => ({ beginner: { reps: b }, intermediate: { reps: i }, advanced: { reps: a } });
const secs = (b: number, i: number, a: number) => ({ beginner: { seconds: b }, intermediate: { seconds: i }, advanced: { seconds: a } });

/** The demo HIIT class's plan (only seeded on a fresh database; the coach may edit it). */
export const DEMO_HIIT_PLAN: Plan = [
  { id: 'squats', name: 'Air squats', targets: reps(10, 15, 25) },
  { id: 'pushups', name: 'Push-ups', targets: reps(6, 12, 20) },
  { id: 'plank', name: 'Plank hold', targets: secs(20, 40, 60) },
  { id: 'lunges', name: 'Alternating lunges', targets: reps(10, 16, 24) },
  { id: 'burpees', name: 'Burpees', targets: reps(5, 10, 15) },
];

/**
 * The demo club of `npm start`: one club, one class running all day. Its join secret is made
 * once and kept in the database, so tokens stay valid across restarts.
 */
export async function seedDemo(repos: Repositories): Promise<{ newApiKey?: string }> {
  const existing = await repos.clubs.get(DEMO_CLUB_ID);
  await repos.clubs.upsert({
    id: DEMO_CLUB_ID,
    name: 'Northside Fitness',
    joinSecret: existing?.joinSecret ?? crypto.randomBytes(32).toString('base64url'),
    allowedOrigins: [],
  });
  await repos.classes.upsert({ id: DEMO_CLASS_ID, clubId: DEMO_CLUB_ID, title: 'HIIT Express', coachName: 'Coach Sam', startsAt: null, plan: DEMO_HIIT_PLAN });
  await repos.classes.upsert({ id: 'demo-yoga', clubId: DEMO_CLUB_ID, title: 'Sunrise Yoga Flow', coachName: 'Coach Priya', startsAt: null, plan: [] });
  if (!(await repos.streams.get(DEMO_STREAM_ID))) {
    await repos.streams.create({ id: DEMO_STREAM_ID, clubId: DEMO_CLUB_ID, title: 'HIIT Express · live broadcast', description: 'Watch Coach Sam’s class live.', source: { type: 'class', classId: DEMO_CLASS_ID }, maxViewers: 1000, record: false, posterUrl: null, rtmpPort: null });
  }
  if (existing) return {};
  // A fresh demo club gets one API key for trying the REST API; it is shown once, in the log.
  const key = makeApiKey();
  await repos.apiKeys.add({ id: key.id, clubId: DEMO_CLUB_ID, secretHash: key.secretHash, label: 'demo' });
  return { newApiKey: key.key };
}
