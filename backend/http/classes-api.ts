import crypto from 'node:crypto';
import express, { type Request } from 'express';
import { ErrorCode } from '../../protocol/error-codes.js';
import { planSchema, type Plan } from '../../protocol/class-state.js';
import { classInputSchema, classPatchSchema, type ClassInfo } from '../../protocol/schedule.js';
import { CHAT_PAGE_SIZE, SHARED_FILE_MAX_BYTES } from '../../protocol/social.js';
import { buildSummary, summaryToCsv } from '../classes/summary.js';
import { AppError } from '../errors.js';
import { safeFileName, type SharedFiles } from '../files/shared-files.js';
import type { ClassRecord, Repositories, StoredFile } from '../store/repositories.js';
import { callerFrom, clubOnly, zodMessage, type Caller } from './callers.js';

export interface ClassesApiDeps {
  repos: Repositories;
  tokenMaxTtlSeconds: number;
  /** Applies a new plan to the class if it is live (and tells its clients). */
  planChanged(classId: string, plan: Plan): void;
  /** Ends a live class that was just cancelled. */
  classCancelled(classId: string): void;
  /** A live class's limit changed: seats may have freed for people in line. */
  capacityChanged(classId: string, capacity: number): void;
  /** A file was shared with the class: tell the people in it. */
  fileShared(classId: string, file: StoredFile): void;
  files: SharedFiles;
}


export const toClassInfo = (c: ClassRecord): ClassInfo => ({
  id: c.id,
  clubId: c.clubId,
  title: c.title,
  coachName: c.coachName,
  startsAt: c.startsAt ? new Date(c.startsAt).toISOString() : null,
  durationMinutes: c.durationMinutes,
  capacity: c.capacity,
  status: c.status,
});

/**
 * `/api/v1/classes`: the schedule (club API key) and per-class plan and summary (API key, or a
 * join token for that class: coaches see and change everything, a member sees their own summary).
 */
export function classesApi(deps: ClassesApiDeps): express.Router {
  const router = express.Router();
  const { repos } = deps;

  const caller = callerFrom(repos, deps.tokenMaxTtlSeconds);

  /** The class, if the caller may see it (their club's; a person's token only for its class). */
  async function classFor(req: Request, c: Caller): Promise<ClassRecord> {
    const cls = await repos.classes.get(String(req.params.id));
    if (!cls || cls.clubId !== c.clubId) throw new AppError(ErrorCode.ClassNotFound, 'No such class', 404);
    if (c.kind === 'person' && c.classId !== cls.id) throw new AppError(ErrorCode.ClassMismatch, 'This token is for another class', 403);
    return cls;
  }

  const isStaff = (c: Caller) => c.kind === 'club' || c.role === 'coach';

  router.get('/', async (req, res) => {
    const c = clubOnly(await caller(req));
    const from = typeof req.query.from === 'string' ? new Date(req.query.from) : undefined;
    if (from && Number.isNaN(from.getTime())) throw new AppError(ErrorCode.BadRequest, 'from: not a date');
    const list = await repos.classes.listByClub(c.clubId, { ...(from ? { from } : {}), includeCancelled: req.query.cancelled === 'true' });
    res.json({ classes: list.map(toClassInfo) });
  });

  router.post('/', async (req, res) => {
    const c = clubOnly(await caller(req));
    const input = classInputSchema.safeParse(req.body);
    if (!input.success) throw new AppError(ErrorCode.BadRequest, zodMessage(input.error.issues));
    const i = input.data;
    const id = i.id ?? `${i.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'class'}-${crypto.randomBytes(3).toString('hex')}`;
    const created = await repos.classes.create({
      id,
      clubId: c.clubId,
      title: i.title,
      coachName: i.coachName,
      startsAt: i.startsAt ? new Date(i.startsAt) : null,
      durationMinutes: i.durationMinutes,
      capacity: i.capacity,
      plan: i.plan,
    });
    if (!created) throw new AppError(ErrorCode.Conflict, `A class with id "${id}" already exists`, 409);
    res.status(201).json(toClassInfo((await repos.classes.get(id))!));
  });

  router.get('/:id', async (req, res) => {
    res.json(toClassInfo(await classFor(req, await caller(req))));
  });

  router.patch('/:id', async (req, res) => {
    const c = clubOnly(await caller(req));
    const cls = await classFor(req, c);
    const patch = classPatchSchema.safeParse(req.body);
    if (!patch.success) throw new AppError(ErrorCode.BadRequest, zodMessage(patch.error.issues));
    const p = patch.data;
    await repos.classes.update(cls.id, {
      ...(p.title !== undefined ? { title: p.title } : {}),
      ...(p.coachName !== undefined ? { coachName: p.coachName } : {}),
      ...(p.startsAt !== undefined ? { startsAt: p.startsAt ? new Date(p.startsAt) : null } : {}),
      ...(p.durationMinutes !== undefined ? { durationMinutes: p.durationMinutes } : {}),
      ...(p.capacity !== undefined ? { capacity: p.capacity } : {}),
    });
    if (p.capacity !== undefined) deps.capacityChanged(cls.id, p.capacity);
    res.json(toClassInfo((await repos.classes.get(cls.id))!));
  });

  /** Cancels a class (kept for the record); a live one ends for everyone. */
  router.delete('/:id', async (req, res) => {
    const c = clubOnly(await caller(req));
    const cls = await classFor(req, c);
    await repos.classes.setStatus(cls.id, 'cancelled');
    deps.classCancelled(cls.id);
    res.json(toClassInfo((await repos.classes.get(cls.id))!));
  });

  router.get('/:id/summary', async (req, res) => {
    const c = await caller(req);
    const cls = await classFor(req, c);
    const [visits, reps] = await Promise.all([repos.attendance.listForClass(cls.id), repos.reps.countsForClass(cls.id)]);
    const summary = buildSummary(
      cls,
      visits.map((v) => ({ identity: v.identity, displayName: v.display_name, role: v.role, level: v.level, joinedAt: new Date(v.joined_at), leftAt: v.left_at ? new Date(v.left_at) : null })),
      reps,
      new Date(),
    );
    if (!isStaff(c) && c.kind === 'person') summary.people = summary.people.filter((p) => p.identity === c.identity);
    if (req.query.format === 'csv' || (req.accepts(['json', 'text/csv']) === 'text/csv' && req.query.format !== 'json')) {
      res.type('text/csv').setHeader('Content-Disposition', `attachment; filename="${cls.id}-summary.csv"`);
      res.send(summaryToCsv(summary));
      return;
    }
    res.json(summary);
  });

  router.get('/:id/plan', async (req, res) => {
    const cls = await classFor(req, await caller(req));
    res.json({ plan: cls.plan });
  });

  router.put('/:id/plan', async (req, res) => {
    const c = await caller(req);
    const cls = await classFor(req, c);
    if (!isStaff(c)) throw new AppError(ErrorCode.Forbidden, 'Only the coach can edit the plan', 403);
    const parsed = planSchema.safeParse((req.body as { plan?: unknown } | undefined)?.plan);
    if (!parsed.success) throw new AppError(ErrorCode.BadRequest, zodMessage(parsed.error.issues.map((i) => ({ ...i, path: ['plan', ...i.path] }))));
    await repos.classes.setPlan(cls.id, parsed.data);
    deps.planChanged(cls.id, parsed.data);
    res.json({ plan: parsed.data });
  });

  /** The class chat, a page at a time (newest first page; `before` a seq for older ones). */
  router.get('/:id/chat', async (req, res) => {
    const cls = await classFor(req, await caller(req));
    const before = req.query.before === undefined ? undefined : Number(req.query.before);
    if (before !== undefined && (!Number.isInteger(before) || before < 1)) throw new AppError(ErrorCode.BadRequest, 'before: a message seq');
    res.json(await repos.chat.page(cls.id, CHAT_PAGE_SIZE, before));
  });

  /** The coach (or the club) shares a PDF or an image: the raw bytes as the body, `?name=` for its name. */
  router.post('/:id/files', express.raw({ type: () => true, limit: SHARED_FILE_MAX_BYTES }), async (req, res) => {
    const c = await caller(req);
    const cls = await classFor(req, c);
    if (!isStaff(c)) throw new AppError(ErrorCode.Forbidden, 'Only the coach can share files', 403);
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const type = deps.files.check(bytes);
    const id = `f_${crypto.randomBytes(12).toString('base64url')}`;
    await deps.files.storage.put(id, bytes, type);
    const sharedBy = c.kind === 'person' ? await repos.attendance.participantId(c.clubId, c.identity) : null;
    const stored = await repos.files.add({ id, classId: cls.id, name: safeFileName(typeof req.query.name === 'string' ? req.query.name : undefined, type), contentType: type, size: bytes.length, storageKey: id, sharedBy });
    deps.fileShared(cls.id, stored);
    res.status(201).json(deps.files.link(stored));
  });

  router.get('/:id/files', async (req, res) => {
    const cls = await classFor(req, await caller(req));
    res.json({ files: (await repos.files.listForClass(cls.id)).map((f) => deps.files.link(f)) });
  });

  return router;
}

/** `GET /api/v1/files/:id?exp&sig`: a shared file through its signed, expiring link. */
export function filesApi(repos: Repositories, files: SharedFiles): express.Router {
  const router = express.Router();
  router.get('/:id', async (req, res) => {
    const id = String(req.params.id);
    files.verify(id, typeof req.query.exp === 'string' ? req.query.exp : undefined, typeof req.query.sig === 'string' ? req.query.sig : undefined);
    const f = await repos.files.get(id);
    if (!f) throw new AppError(ErrorCode.NotFound, 'The file is gone', 404);
    const bytes = await files.storage.get(f.storageKey);
    res.setHeader('Content-Type', f.contentType);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
    res.setHeader('Cache-Control', 'private, max-age=300');
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Content-Disposition', `${req.query.download === '1' ? 'attachment' : 'inline'}; filename*=UTF-8''${encodeURIComponent(f.name)}`);
    res.send(bytes);
  });
  return router;
}

/** `GET /api/public/clubs/:clubId/schedule`: what a club's website lists (no plans, no people). */
export function publicScheduleApi(repos: Repositories): express.Router {
  const router = express.Router();
  router.get('/clubs/:clubId/schedule', async (req, res) => {
    const club = await repos.clubs.get(String(req.params.clubId));
    if (!club) throw new AppError(ErrorCode.NotFound, 'No such club', 404);
    const from = new Date(Date.now() - 3 * 3600_000);
    const list = await repos.classes.listByClub(club.id, { from });
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cache-Control', 'public, max-age=30');
    res.json({ club: { id: club.id, name: club.name }, classes: list.filter((c) => c.status !== 'ended').map(toClassInfo) });
  });
  return router;
}
