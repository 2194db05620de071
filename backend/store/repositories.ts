import type { Db } from './db.js';

export interface Club {
  id: string;
  name: string;
  joinSecret: string;
  allowedOrigins: string[];
}

export interface ClassRecord {
  id: string;
  clubId: string;
  title: string;
  coachName: string;
  startsAt: Date | null;
  status: 'scheduled' | 'live' | 'ended';
}

type Q = Pick<Db, 'query'>;

export function clubRepository(db: Q) {
  return {
    async get(id: string): Promise<Club | undefined> {
      const { rows } = await db.query<{ id: string; name: string; join_secret: string; allowed_origins: string[] }>(
        'SELECT id, name, join_secret, allowed_origins FROM clubs WHERE id = $1',
        [id],
      );
      const r = rows[0];
      return r && { id: r.id, name: r.name, joinSecret: r.join_secret, allowedOrigins: r.allowed_origins };
    },
    async setAllowedOrigins(id: string, origins: string[]): Promise<void> {
      await db.query('UPDATE clubs SET allowed_origins = $2 WHERE id = $1', [id, origins]);
    },
    async upsert(club: Club): Promise<void> {
      await db.query(
        `INSERT INTO clubs (id, name, join_secret, allowed_origins) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name`,
        [club.id, club.name, club.joinSecret, club.allowedOrigins],
      );
    },
  };
}

export function classRepository(db: Q) {
  const map = (r: Record<string, unknown>): ClassRecord => ({
    id: r.id as string,
    clubId: r.club_id as string,
    title: r.title as string,
    coachName: r.coach_name as string,
    startsAt: (r.starts_at as Date | null) ?? null,
    status: r.status as ClassRecord['status'],
  });
  return {
    async get(id: string): Promise<ClassRecord | undefined> {
      const { rows } = await db.query('SELECT * FROM classes WHERE id = $1', [id]);
      return rows[0] && map(rows[0]);
    },
    async upsert(c: Omit<ClassRecord, 'status'>): Promise<void> {
      await db.query(
        `INSERT INTO classes (id, club_id, title, coach_name, starts_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, coach_name = EXCLUDED.coach_name, starts_at = EXCLUDED.starts_at`,
        [c.id, c.clubId, c.title, c.coachName, c.startsAt],
      );
    },
  };
}

export function attendanceRepository(db: Q) {
  return {
    /** Records that `identity` entered the class; creates the club's participant on first visit. */
    async open(a: { clubId: string; classId: string; identity: string; displayName: string; role: 'coach' | 'member' }): Promise<number> {
      const { rows } = await db.query<{ id: string }>(
        `WITH p AS (
           INSERT INTO participants (club_id, identity, display_name) VALUES ($1, $2, $3)
           ON CONFLICT (club_id, identity) DO UPDATE SET display_name = EXCLUDED.display_name
           RETURNING id)
         INSERT INTO attendance (class_id, participant_id, role) SELECT $4, id, $5 FROM p RETURNING id`,
        [a.clubId, a.identity, a.displayName, a.classId, a.role],
      );
      return Number(rows[0]!.id);
    },
    async close(attendanceId: number): Promise<void> {
      await db.query('UPDATE attendance SET left_at = now() WHERE id = $1 AND left_at IS NULL', [attendanceId]);
    },
    /** Closes visits left open by a process that stopped without saying goodbye. */
    async closeAllOpen(): Promise<number> {
      const { rows } = await db.query('UPDATE attendance SET left_at = now() WHERE left_at IS NULL RETURNING id');
      return rows.length;
    },
    async listForClass(classId: string) {
      const { rows } = await db.query<{ identity: string; display_name: string; role: string; joined_at: Date; left_at: Date | null }>(
        `SELECT p.identity, p.display_name, a.role, a.joined_at, a.left_at
           FROM attendance a JOIN participants p ON p.id = a.participant_id
          WHERE a.class_id = $1 ORDER BY a.joined_at, a.id`,
        [classId],
      );
      return rows;
    },
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
export function createRepositories(db: Q) {
  return { clubs: clubRepository(db), classes: classRepository(db), attendance: attendanceRepository(db) };
}
