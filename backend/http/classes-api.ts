import crypto from 'node:crypto';
import express, { type Request } from 'express';
import { ErrorCode } from '../../protocol/error-codes.js';
import { planSchema, type Plan } from '../../protocol/class-state.js';
import { classInputSchema, classPatchSchema, type ClassInfo } from '../../protocol/schedule.js';
import { parseApiKey, secretMatches } from '../auth/api-keys.js';
import { verifyJoinToken } from '../auth/join-token.js';
import { buildSummary, summaryToCsv } from '../classes/summary.js';
import { AppError } from '../errors.js';
import type { ClassRecord, Repositories } from '../store/repositories.js';

export interface ClassesApiDeps {
  repos: Repositories;
  tokenMaxTtlSeconds: number;
  /** Applies a new plan to the class if it is live (and tells its clients). */
  planChanged(classId: string, plan: Plan): void;
  /** Ends a live class that was just cancelled. */
  classCancelled(classId: string): void;
}

/** Who is calling: the club itself (API key: staff rights) or one person (join token for one class). */
type Caller = { kind: 'club'; clubId: string } | { kind: 'person'; clubId: string; classId: string; role: 'coach' | 'member'; identity: string };

const zodMessage = (issues: { path: PropertyKey[]; message: string }[]) => issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');

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

  async function caller(req: Request): Promise<Caller> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (!bearer) throw new AppError(ErrorCode.Unauthorized, 'Send a club API key or a join token as "Authorization: Bearer …"', 401);
    if (bearer.startsWith('flk_')) {
      const parsed = parseApiKey(bearer);
      const stored = parsed && (await repos.apiKeys.get(parsed.id));
      if (!parsed || !stored || !secretMatches(parsed.secret, stored.secretHash)) throw new AppError(ErrorCode.Unauthorized, 'Unknown or revoked API key', 401);
      return { kind: 'club', clubId: stored.clubId };
    }
    const who = await verifyJoinToken(bearer, async (clubId) => (await repos.clubs.get(clubId))?.joinSecret, { maxTtlSeconds: deps.tokenMaxTtlSeconds });
    return { kind: 'person', clubId: who.clubId, classId: who.classId, role: who.role, identity: who.identity };
  }

  const clubOnly = (c: Caller) => {
    if (c.kind !== 'club') throw new AppError(ErrorCode.Forbidden, 'This needs the club’s API key', 403);
    return c;
  };

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
    if (!created) throw new AppError(ErrorCode.BadRequest, `A class with id "${id}" already exists`, 409);
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
