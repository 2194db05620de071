import crypto from 'node:crypto';
import type { Repositories } from './repositories.js';

export const DEMO_CLUB_ID = 'demo-club';
export const DEMO_CLASS_ID = 'demo-hiit';

/**
 * The demo club of `npm start`: one club, one class running all day. Its join secret is made
 * once and kept in the database, so tokens stay valid across restarts.
 */
export async function seedDemo(repos: Repositories): Promise<void> {
  const existing = await repos.clubs.get(DEMO_CLUB_ID);
  await repos.clubs.upsert({
    id: DEMO_CLUB_ID,
    name: 'Northside Fitness',
    joinSecret: existing?.joinSecret ?? crypto.randomBytes(32).toString('base64url'),
    allowedOrigins: [],
  });
  await repos.classes.upsert({ id: DEMO_CLASS_ID, clubId: DEMO_CLUB_ID, title: 'HIIT Express', coachName: 'Coach Sam', startsAt: null });
  await repos.classes.upsert({ id: 'demo-yoga', clubId: DEMO_CLUB_ID, title: 'Sunrise Yoga Flow', coachName: 'Coach Priya', startsAt: null });
}
