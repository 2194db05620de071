import type { StreamInfo, StreamSource, StreamStatus } from '../../protocol/streams.js';
import type { Db } from './db.js';

type Q = Pick<Db, 'query'>;

export interface StreamRecord extends Omit<StreamInfo, 'viewers' | 'createdAt' | 'startedAt' | 'endedAt'> {
  /** An RTMP source's ingest port. */
  rtmpPort: number | null;
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
}

/** A viewer is watching while their heartbeats are this recent. */
export const WATCHING_WINDOW_S = 30;
/** A heartbeat later than this after the last one starts a new viewing session. */
const SESSION_GAP_S = 45;

export function streamRepository(db: Q) {
  const map = (r: Record<string, unknown>): StreamRecord => ({
    id: r.id as string,
    clubId: r.club_id as string,
    title: r.title as string,
    description: r.description as string,
    source: r.source as StreamSource,
    status: r.status as StreamStatus,
    maxViewers: Number(r.max_viewers),
    record: r.record as boolean,
    posterUrl: (r.poster_url as string | null) ?? null,
    rtmpPort: r.rtmp_port === null || r.rtmp_port === undefined ? null : Number(r.rtmp_port),
    createdAt: r.created_at as Date,
    startedAt: (r.started_at as Date | null) ?? null,
    endedAt: (r.ended_at as Date | null) ?? null,
  });
  return {
    async create(s: { id: string; clubId: string; title: string; description: string; source: StreamSource; maxViewers: number; record: boolean; posterUrl: string | null; rtmpPort: number | null }): Promise<StreamRecord> {
      const { rows } = await db.query(
        `INSERT INTO streams (id, club_id, title, description, source, max_viewers, record, poster_url, rtmp_port)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
        [s.id, s.clubId, s.title, s.description, JSON.stringify(s.source), s.maxViewers, s.record, s.posterUrl, s.rtmpPort],
      );
      return map(rows[0]!);
    },
    async get(id: string): Promise<StreamRecord | undefined> {
      const { rows } = await db.query('SELECT * FROM streams WHERE id = $1', [id]);
      return rows[0] && map(rows[0]);
    },
    async listByClub(clubId: string): Promise<StreamRecord[]> {
      const { rows } = await db.query('SELECT * FROM streams WHERE club_id = $1 ORDER BY created_at DESC, id', [clubId]);
      return rows.map(map);
    },
    async setStatus(id: string, status: StreamStatus): Promise<void> {
      await db.query(
        `UPDATE streams SET status = $2,
           started_at = CASE WHEN $2 = 'live' THEN coalesce(started_at, now()) ELSE started_at END,
           ended_at = CASE WHEN $2 = 'ended' THEN now() ELSE ended_at END
         WHERE id = $1`,
        [id, status],
      );
    },
    /** RTMP ports held by streams that have not ended. */
    async rtmpPortsInUse(): Promise<number[]> {
      const { rows } = await db.query<{ rtmp_port: number }>(`SELECT rtmp_port FROM streams WHERE rtmp_port IS NOT NULL AND status <> 'ended'`);
      return rows.map((r) => Number(r.rtmp_port));
    },
    async listLive(): Promise<StreamRecord[]> {
      const { rows } = await db.query(`SELECT * FROM streams WHERE status = 'live' ORDER BY started_at`);
      return rows.map(map);
    },
    /** How many distinct viewers are watching now. */
    async watching(id: string): Promise<number> {
      const { rows } = await db.query<{ n: string | number }>(
        `SELECT count(DISTINCT identity) AS n FROM stream_views WHERE stream_id = $1 AND last_seen_at > now() - make_interval(secs => $2)`,
        [id, WATCHING_WINDOW_S],
      );
      return Number(rows[0]?.n ?? 0);
    },
    async isWatching(id: string, identity: string): Promise<boolean> {
      const { rows } = await db.query(`SELECT 1 FROM stream_views WHERE stream_id = $1 AND identity = $2 AND last_seen_at > now() - make_interval(secs => $3) LIMIT 1`, [id, identity, WATCHING_WINDOW_S]);
      return rows.length > 0;
    },
    /** Extends this viewer's current viewing session, or starts one. */
    async heartbeat(id: string, identity: string): Promise<void> {
      const { rows } = await db.query(
        `UPDATE stream_views SET last_seen_at = now()
          WHERE id = (SELECT id FROM stream_views WHERE stream_id = $1 AND identity = $2 AND last_seen_at > now() - make_interval(secs => $3) ORDER BY last_seen_at DESC LIMIT 1)
          RETURNING id`,
        [id, identity, SESSION_GAP_S],
      );
      if (!rows.length) await db.query('INSERT INTO stream_views (stream_id, identity) VALUES ($1, $2)', [id, identity]);
    },
    async sample(id: string, viewers: number): Promise<void> {
      await db.query('INSERT INTO stream_samples (stream_id, viewers) VALUES ($1, $2) ON CONFLICT DO NOTHING', [id, viewers]);
    },
    async analytics(id: string) {
      const [views, samples] = await Promise.all([
        db.query<{ unique: string | number; total: string | number | null }>(
          `SELECT count(DISTINCT identity) AS unique, coalesce(sum(extract(epoch FROM last_seen_at - started_at)), 0) AS total FROM stream_views WHERE stream_id = $1`,
          [id],
        ),
        db.query<{ at: Date; viewers: number }>('SELECT at, viewers FROM stream_samples WHERE stream_id = $1 ORDER BY at', [id]),
      ]);
      return {
        uniqueViewers: Number(views.rows[0]?.unique ?? 0),
        totalWatchSeconds: Math.round(Number(views.rows[0]?.total ?? 0)),
        concurrency: samples.rows.map((r) => ({ at: r.at.toISOString(), viewers: Number(r.viewers) })),
      };
    },
  };
}

export interface RecordingRecord {
  id: string;
  streamId: string;
  clubId: string;
  status: 'recording' | 'ready' | 'failed';
  durationSeconds: number | null;
  mp4Status: 'none' | 'making' | 'ready' | 'failed';
  startedAt: Date;
  endedAt: Date | null;
}

export function recordingRepository(db: Q) {
  const map = (r: Record<string, unknown>): RecordingRecord => ({
    id: r.id as string,
    streamId: r.stream_id as string,
    clubId: r.club_id as string,
    status: r.status as RecordingRecord['status'],
    durationSeconds: r.duration_seconds === null ? null : Number(r.duration_seconds),
    mp4Status: r.mp4_status as RecordingRecord['mp4Status'],
    startedAt: r.started_at as Date,
    endedAt: (r.ended_at as Date | null) ?? null,
  });
  return {
    async create(r: { id: string; streamId: string; clubId: string }): Promise<RecordingRecord> {
      const { rows } = await db.query('INSERT INTO recordings (id, stream_id, club_id) VALUES ($1, $2, $3) RETURNING *', [r.id, r.streamId, r.clubId]);
      return map(rows[0]!);
    },
    async get(id: string): Promise<RecordingRecord | undefined> {
      const { rows } = await db.query('SELECT * FROM recordings WHERE id = $1', [id]);
      return rows[0] && map(rows[0]);
    },
    async listByClub(clubId: string, streamId?: string): Promise<RecordingRecord[]> {
      const { rows } = await db.query('SELECT * FROM recordings WHERE club_id = $1 AND ($2::text IS NULL OR stream_id = $2) ORDER BY started_at DESC, id', [clubId, streamId ?? null]);
      return rows.map(map);
    },
    async finish(id: string, status: 'ready' | 'failed', durationSeconds: number | null): Promise<void> {
      await db.query('UPDATE recordings SET status = $2, duration_seconds = $3, ended_at = now() WHERE id = $1', [id, status, durationSeconds]);
    },
    async setMp4(id: string, status: RecordingRecord['mp4Status']): Promise<void> {
      await db.query('UPDATE recordings SET mp4_status = $2 WHERE id = $1', [id, status]);
    },
    /** Recordings a stopped process left half-made. */
    async failUnfinished(): Promise<void> {
      await db.query(`UPDATE recordings SET status = 'failed', ended_at = now() WHERE status = 'recording'`);
      await db.query(`UPDATE recordings SET mp4_status = 'failed' WHERE mp4_status = 'making'`);
    },
  };
}
