import type { Level, ParticipantClassState, Plan } from '../../protocol/class-state.js';
import { applyRep, type ClassSnapshot, type RepKind } from '../classes/class-rules.js';
import type { BoardState, ChatMessage, ChatRole, SharedFile } from '../../protocol/social.js';
import type { Db } from './db.js';
import { recordingRepository, streamRepository } from './stream-repository.js';

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
  status: 'scheduled' | 'live' | 'ended' | 'cancelled';
  plan: Plan;
  durationMinutes: number;
  capacity: number;
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
    async setJoinSecret(id: string, secret: string): Promise<void> {
      await db.query('UPDATE clubs SET join_secret = $2 WHERE id = $1', [id, secret]);
    },
    async setAllowedOrigins(id: string, origins: string[]): Promise<void> {
      await db.query('UPDATE clubs SET allowed_origins = $2 WHERE id = $1', [id, origins]);
    },
    async chatBlockedWords(id: string): Promise<string[]> {
      const { rows } = await db.query<{ chat_blocked_words: string[] }>('SELECT chat_blocked_words FROM clubs WHERE id = $1', [id]);
      return rows[0]?.chat_blocked_words ?? [];
    },
    async setChatBlockedWords(id: string, words: string[]): Promise<void> {
      await db.query('UPDATE clubs SET chat_blocked_words = $2 WHERE id = $1', [id, words]);
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
    plan: (r.plan as Plan | null) ?? [],
    durationMinutes: Number(r.duration_minutes ?? 45),
    capacity: Number(r.capacity ?? 50),
  });
  return {
    async get(id: string): Promise<ClassRecord | undefined> {
      const { rows } = await db.query('SELECT * FROM classes WHERE id = $1', [id]);
      return rows[0] && map(rows[0]);
    },
    /** Creates a class, or (seeding) refreshes its listing but keeps its plan and status. */
    async upsert(c: Omit<ClassRecord, 'status' | 'durationMinutes' | 'capacity'> & Partial<Pick<ClassRecord, 'durationMinutes' | 'capacity'>>): Promise<void> {
      await db.query(
        `INSERT INTO classes (id, club_id, title, coach_name, starts_at, plan, duration_minutes, capacity) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, coach_name = EXCLUDED.coach_name, starts_at = EXCLUDED.starts_at`,
        [c.id, c.clubId, c.title, c.coachName, c.startsAt, JSON.stringify(c.plan), c.durationMinutes ?? 45, c.capacity ?? 50],
      );
    },
    /** Inserts a new class; false if the id is taken. */
    async create(c: Omit<ClassRecord, 'status'>): Promise<boolean> {
      const { rows } = await db.query(
        `INSERT INTO classes (id, club_id, title, coach_name, starts_at, plan, duration_minutes, capacity) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [c.id, c.clubId, c.title, c.coachName, c.startsAt, JSON.stringify(c.plan), c.durationMinutes, c.capacity],
      );
      return rows.length === 1;
    },
    async update(id: string, patch: Partial<Pick<ClassRecord, 'title' | 'coachName' | 'startsAt' | 'durationMinutes' | 'capacity'>>): Promise<void> {
      const cols: Record<string, unknown> = { title: patch.title, coach_name: patch.coachName, starts_at: patch.startsAt, duration_minutes: patch.durationMinutes, capacity: patch.capacity };
      const set = Object.entries(cols).filter(([, v]) => v !== undefined);
      if (!set.length) return;
      await db.query(`UPDATE classes SET ${set.map(([k], i) => `${k} = $${i + 2}`).join(', ')} WHERE id = $1`, [id, ...set.map(([, v]) => v)]);
    },
    /** A club's classes, soonest first; `from` hides those that started before it. */
    async listByClub(clubId: string, opts: { from?: Date; includeCancelled?: boolean } = {}): Promise<ClassRecord[]> {
      const { rows } = await db.query(
        `SELECT * FROM classes WHERE club_id = $1 AND ($2::timestamptz IS NULL OR starts_at IS NULL OR starts_at >= $2)
           AND ($3 OR status <> 'cancelled') ORDER BY starts_at NULLS FIRST, id`,
        [clubId, opts.from ?? null, opts.includeCancelled ?? false],
      );
      return rows.map(map);
    },
    async setPlan(id: string, plan: Plan): Promise<void> {
      await db.query('UPDATE classes SET plan = $2 WHERE id = $1', [id, JSON.stringify(plan)]);
    },
    async setStatus(id: string, status: ClassRecord['status']): Promise<void> {
      await db.query('UPDATE classes SET status = $2 WHERE id = $1', [id, status]);
    },
    async liveState(id: string): Promise<ClassSnapshot | null> {
      const { rows } = await db.query<{ live_state: ClassSnapshot | null }>('SELECT live_state FROM classes WHERE id = $1', [id]);
      return rows[0]?.live_state ?? null;
    },
    async saveLiveState(id: string, state: ClassSnapshot): Promise<void> {
      await db.query('UPDATE classes SET live_state = $2 WHERE id = $1', [id, JSON.stringify(state)]);
    },
    async remove(classId: string, identity: string): Promise<void> {
      await db.query('INSERT INTO class_removals (class_id, identity) VALUES ($1, $2) ON CONFLICT DO NOTHING', [classId, identity]);
    },
    async isRemoved(classId: string, identity: string): Promise<boolean> {
      const { rows } = await db.query('SELECT 1 FROM class_removals WHERE class_id = $1 AND identity = $2', [classId, identity]);
      return rows.length > 0;
    },
  };
}

export function attendanceRepository(db: Q) {
  return {
    /** Records that `identity` entered the class; creates the club's participant on first visit. */
    async open(a: { clubId: string; classId: string; identity: string; displayName: string; role: 'coach' | 'member'; level?: Level | null }): Promise<{ attendanceId: number; participantDbId: number }> {
      const { rows } = await db.query<{ id: string; participant_id: string }>(
        `WITH p AS (
           INSERT INTO participants (club_id, identity, display_name) VALUES ($1, $2, $3)
           ON CONFLICT (club_id, identity) DO UPDATE SET display_name = EXCLUDED.display_name
           RETURNING id)
         INSERT INTO attendance (class_id, participant_id, role, level) SELECT $4, id, $5, $6 FROM p RETURNING id, participant_id`,
        [a.clubId, a.identity, a.displayName, a.classId, a.role, a.level ?? null],
      );
      return { attendanceId: Number(rows[0]!.id), participantDbId: Number(rows[0]!.participant_id) };
    },
    /** The participants row of a club's person, made on first sight (a broadcast viewer who writes in chat). */
    async ensureParticipant(clubId: string, identity: string, displayName: string): Promise<number> {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO participants (club_id, identity, display_name) VALUES ($1, $2, $3)
         ON CONFLICT (club_id, identity) DO UPDATE SET display_name = EXCLUDED.display_name RETURNING id`,
        [clubId, identity, displayName],
      );
      return Number(rows[0]!.id);
    },
    /** The participants row of a club's person, if they ever came. */
    async participantId(clubId: string, identity: string): Promise<number | null> {
      const { rows } = await db.query<{ id: string }>('SELECT id FROM participants WHERE club_id = $1 AND identity = $2', [clubId, identity]);
      return rows[0] ? Number(rows[0].id) : null;
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
      const { rows } = await db.query<{ identity: string; display_name: string; role: 'coach' | 'member'; level: string | null; joined_at: Date; left_at: Date | null }>(
        `SELECT p.identity, p.display_name, a.role, a.level, a.joined_at, a.left_at
           FROM attendance a JOIN participants p ON p.id = a.participant_id
          WHERE a.class_id = $1 ORDER BY a.joined_at, a.id`,
        [classId],
      );
      return rows;
    },
  };
}

export function repRepository(db: Q) {
  return {
    /** Stores one rep (or a correction); false when that operation id was stored before (a retry). */
    async record(r: { classId: string; participantDbId: number; exerciseId: string; opId: string; kind?: RepKind }): Promise<boolean> {
      const kind = r.kind ?? 'tap';
      const { rows } = await db.query(
        `INSERT INTO reps (class_id, participant_id, exercise_id, op_id, source, delta) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (class_id, participant_id, op_id) DO NOTHING RETURNING id`,
        [r.classId, r.participantDbId, r.exerciseId, r.opId, kind, kind === 'undo' || kind === 'undo-camera' ? -1 : 1],
      );
      return rows.length === 1;
    },
    /** Reps per person and exercise in a class, and how many of them the camera counted. */
    async countsForClass(classId: string): Promise<Array<{ identity: string; exerciseId: string; count: number; cameraCount: number }>> {
      const { rows } = await db.query<{ identity: string; exercise_id: string; n: string | number; camera: string | number }>(
        `SELECT p.identity, r.exercise_id, sum(r.delta) AS n,
                count(*) FILTER (WHERE r.source = 'camera') - count(*) FILTER (WHERE r.source = 'undo-camera') AS camera
           FROM reps r JOIN participants p ON p.id = r.participant_id
          WHERE r.class_id = $1 GROUP BY p.identity, r.exercise_id`,
        [classId],
      );
      return rows.map((r) => ({ identity: r.identity, exerciseId: r.exercise_id, count: Number(r.n), cameraCount: Number(r.camera) }));
    },
    /** A person's stored reps in a class: counts per exercise (and by camera) and the operation ids seen. */
    async forParticipant(classId: string, participantDbId: number): Promise<{ counts: Record<string, number>; cameraCounts: Record<string, number>; opIds: string[] }> {
      const { rows } = await db.query<{ exercise_id: string; op_id: string; source: RepKind }>(
        'SELECT exercise_id, op_id, source FROM reps WHERE class_id = $1 AND participant_id = $2 ORDER BY id',
        [classId, participantDbId],
      );
      // The same rule the live class applies, so a restart gives the same numbers.
      const counts: Pick<ParticipantClassState, 'reps' | 'cameraReps'> = { reps: {} };
      for (const r of rows) applyRep(counts, r.exercise_id, r.source);
      return { counts: counts.reps, cameraCounts: counts.cameraReps ?? {}, opIds: rows.map((r) => r.op_id) };
    },
  };
}

export interface StoredChatMessage extends ChatMessage {
  clientId: string;
}

export function chatRepository(db: Q) {
  const map = (r: Record<string, unknown>): ChatMessage => ({
    seq: Number(r.seq),
    participantId: r.sender_key as string,
    displayName: r.display_name as string,
    role: r.role as ChatMessage['role'],
    text: r.body as string,
    sentAt: (r.sent_at as Date).getTime(),
  });
  return {
    /** The highest sequence number used in a class (0 if none). */
    async lastSeq(classId: string): Promise<number> {
      const { rows } = await db.query<{ n: number | null }>('SELECT max(seq) AS n FROM chat_messages WHERE class_id = $1', [classId]);
      return Number(rows[0]?.n ?? 0);
    },
    /**
     * Stores a message under `seq`; when the sender already stored this `clientId` (a retry) the
     * stored message comes back with `duplicate` and `seq` is not used.
     */
    async add(m: { classId: string; seq: number; participantDbId: number; senderKey: string; displayName: string; role: ChatRole; text: string; clientId: string; sentAt: number }): Promise<{ message: ChatMessage; duplicate: boolean }> {
      const { rows } = await db.query(
        `INSERT INTO chat_messages (class_id, seq, participant_id, sender_key, display_name, role, body, client_id, sent_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (class_id, participant_id, client_id) DO NOTHING RETURNING *`,
        [m.classId, m.seq, m.participantDbId, m.senderKey, m.displayName, m.role, m.text, m.clientId, new Date(m.sentAt)],
      );
      if (rows[0]) return { message: map(rows[0]), duplicate: false };
      const existing = await db.query('SELECT * FROM chat_messages WHERE class_id = $1 AND participant_id = $2 AND client_id = $3', [m.classId, m.participantDbId, m.clientId]);
      return { message: map(existing.rows[0]!), duplicate: true };
    },
    /** Up to `limit` messages before `beforeSeq` (or the newest), oldest first; deleted ones left out. */
    async page(classId: string, limit: number, beforeSeq?: number): Promise<{ messages: ChatMessage[]; hasMore: boolean }> {
      const { rows } = await db.query(
        `SELECT * FROM chat_messages WHERE class_id = $1 AND deleted_at IS NULL AND ($2::int IS NULL OR seq < $2)
          ORDER BY seq DESC LIMIT $3`,
        [classId, beforeSeq ?? null, limit + 1],
      );
      const hasMore = rows.length > limit;
      return { messages: rows.slice(0, limit).reverse().map(map), hasMore };
    },
    async get(classId: string, seq: number): Promise<ChatMessage | undefined> {
      const { rows } = await db.query('SELECT * FROM chat_messages WHERE class_id = $1 AND seq = $2 AND deleted_at IS NULL', [classId, seq]);
      return rows[0] && map(rows[0]);
    },
    /** Marks a message deleted; false if there was none (or it was already gone). */
    async delete(classId: string, seq: number, byParticipantDbId: number): Promise<boolean> {
      const { rows } = await db.query(
        'UPDATE chat_messages SET deleted_at = now(), deleted_by = $3 WHERE class_id = $1 AND seq = $2 AND deleted_at IS NULL RETURNING id',
        [classId, seq, byParticipantDbId],
      );
      return rows.length === 1;
    },
    async report(r: { classId: string; seq: number; reporterDbId: number; reason: string }): Promise<void> {
      await db.query(
        'INSERT INTO chat_reports (class_id, seq, reporter_id, reason) VALUES ($1, $2, $3, $4) ON CONFLICT (class_id, seq, reporter_id) DO UPDATE SET reason = EXCLUDED.reason',
        [r.classId, r.seq, r.reporterDbId, r.reason],
      );
    },
    /** A club's reports, newest first, with the message (even if it was deleted since). */
    async reportsForClub(clubId: string, limit = 200) {
      const { rows } = await db.query<{ class_id: string; seq: number; reason: string; created_at: Date; reporter: string; sender: string; body: string; deleted: boolean }>(
        `SELECT r.class_id, r.seq, r.reason, r.created_at, rp.identity AS reporter, sp.identity AS sender, m.body, m.deleted_at IS NOT NULL AS deleted
           FROM chat_reports r
           JOIN classes c ON c.id = r.class_id
           JOIN participants rp ON rp.id = r.reporter_id
           JOIN chat_messages m ON m.class_id = r.class_id AND m.seq = r.seq
           JOIN participants sp ON sp.id = m.participant_id
          WHERE c.club_id = $1 ORDER BY r.created_at DESC, r.id DESC LIMIT $2`,
        [clubId, limit],
      );
      return rows.map((r) => ({ classId: r.class_id, seq: Number(r.seq), reason: r.reason, reportedAt: r.created_at.toISOString(), reporter: r.reporter, sender: r.sender, text: r.body, deleted: r.deleted }));
    },
    /** The club identity behind a chat `participantId` of this class (a viewer the coach mutes). */
    async senderIdentity(classId: string, senderKey: string): Promise<string | undefined> {
      const { rows } = await db.query<{ identity: string }>(
        'SELECT p.identity FROM chat_messages m JOIN participants p ON p.id = m.participant_id WHERE m.class_id = $1 AND m.sender_key = $2 LIMIT 1',
        [classId, senderKey],
      );
      return rows[0]?.identity;
    },
    async setMuted(classId: string, identity: string, muted: boolean): Promise<void> {
      if (muted) await db.query('INSERT INTO chat_mutes (class_id, identity) VALUES ($1, $2) ON CONFLICT DO NOTHING', [classId, identity]);
      else await db.query('DELETE FROM chat_mutes WHERE class_id = $1 AND identity = $2', [classId, identity]);
    },
    async isMuted(classId: string, identity: string): Promise<boolean> {
      const { rows } = await db.query('SELECT 1 FROM chat_mutes WHERE class_id = $1 AND identity = $2', [classId, identity]);
      return rows.length > 0;
    },
  };
}

export function boardRepository(db: Q) {
  return {
    async get(classId: string): Promise<BoardState | null> {
      const { rows } = await db.query<{ board: BoardState | null }>('SELECT board FROM classes WHERE id = $1', [classId]);
      return rows[0]?.board ?? null;
    },
    async save(classId: string, board: BoardState): Promise<void> {
      await db.query('UPDATE classes SET board = $2 WHERE id = $1', [classId, JSON.stringify(board)]);
    },
  };
}

export interface StoredFile extends Omit<SharedFile, 'url' | 'expiresAt'> {
  classId: string;
  storageKey: string;
}

export function fileRepository(db: Q) {
  const map = (r: Record<string, unknown>): StoredFile => ({
    id: r.id as string,
    classId: r.class_id as string,
    name: r.name as string,
    contentType: r.content_type as StoredFile['contentType'],
    size: Number(r.size_bytes),
    storageKey: r.storage_key as string,
    sharedAt: (r.created_at as Date).getTime(),
  });
  return {
    async add(f: { id: string; classId: string; name: string; contentType: string; size: number; storageKey: string; sharedBy: number | null }): Promise<StoredFile> {
      const { rows } = await db.query(
        'INSERT INTO shared_files (id, class_id, name, content_type, size_bytes, storage_key, shared_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *',
        [f.id, f.classId, f.name, f.contentType, f.size, f.storageKey, f.sharedBy],
      );
      return map(rows[0]!);
    },
    async get(id: string): Promise<StoredFile | undefined> {
      const { rows } = await db.query('SELECT * FROM shared_files WHERE id = $1', [id]);
      return rows[0] && map(rows[0]);
    },
    async listForClass(classId: string): Promise<StoredFile[]> {
      const { rows } = await db.query('SELECT * FROM shared_files WHERE class_id = $1 ORDER BY created_at, id', [classId]);
      return rows.map(map);
    },
  };
}

export function apiKeyRepository(db: Q) {
  return {
    async add(k: { id: string; clubId: string; secretHash: string; label: string }): Promise<void> {
      await db.query('INSERT INTO club_api_keys (id, club_id, secret_hash, label) VALUES ($1, $2, $3, $4)', [k.id, k.clubId, k.secretHash, k.label]);
    },
    async get(id: string): Promise<{ clubId: string; secretHash: string } | undefined> {
      const { rows } = await db.query<{ club_id: string; secret_hash: string }>('SELECT club_id, secret_hash FROM club_api_keys WHERE id = $1 AND revoked_at IS NULL', [id]);
      return rows[0] && { clubId: rows[0].club_id, secretHash: rows[0].secret_hash };
    },
    /** Revokes an active key of this club; false when there is none. */
    async revoke(id: string, clubId: string): Promise<boolean> {
      const { rows } = await db.query('UPDATE club_api_keys SET revoked_at = now() WHERE id = $1 AND club_id = $2 AND revoked_at IS NULL RETURNING id', [id, clubId]);
      return rows.length === 1;
    },
    /** A club's keys, newest first, without their secrets. */
    async listByClub(clubId: string): Promise<Array<{ id: string; label: string; createdAt: string; revokedAt: string | null }>> {
      const { rows } = await db.query<{ id: string; label: string; created_at: Date; revoked_at: Date | null }>(
        'SELECT id, label, created_at, revoked_at FROM club_api_keys WHERE club_id = $1 ORDER BY created_at DESC, id',
        [clubId],
      );
      return rows.map((r) => ({ id: r.id, label: r.label, createdAt: r.created_at.toISOString(), revokedAt: r.revoked_at?.toISOString() ?? null }));
    },
  };
}

/** Who belongs to which club, by Supabase user id (migration 009). */
export function clubMemberRepository(db: Q) {
  return {
    async role(clubId: string, userId: string): Promise<'member' | 'staff' | undefined> {
      const { rows } = await db.query<{ role: 'member' | 'staff' }>('SELECT role FROM club_members WHERE club_id = $1 AND user_id = $2', [clubId, userId]);
      return rows[0]?.role;
    },
    async set(clubId: string, userId: string, role: 'member' | 'staff'): Promise<void> {
      await db.query('INSERT INTO club_members (club_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT (club_id, user_id) DO UPDATE SET role = EXCLUDED.role', [clubId, userId, role]);
    },
    async remove(clubId: string, userId: string): Promise<boolean> {
      const { rows } = await db.query('DELETE FROM club_members WHERE club_id = $1 AND user_id = $2 RETURNING user_id', [clubId, userId]);
      return rows.length === 1;
    },
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
export function createRepositories(db: Q) {
  return {
    clubs: clubRepository(db),
    classes: classRepository(db),
    attendance: attendanceRepository(db),
    reps: repRepository(db),
    apiKeys: apiKeyRepository(db),
    clubMembers: clubMemberRepository(db),
    chat: chatRepository(db),
    boards: boardRepository(db),
    files: fileRepository(db),
    streams: streamRepository(db),
    recordings: recordingRepository(db),
  };
}
