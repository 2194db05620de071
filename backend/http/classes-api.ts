import express, { type Request } from 'express';
import { ErrorCode } from '../../protocol/error-codes.js';
import { planSchema, type Plan } from '../../protocol/class-state.js';
import { verifyJoinToken, type JoinIdentity } from '../auth/join-token.js';
import { buildSummary, summaryToCsv } from '../classes/summary.js';
import { AppError } from '../errors.js';
import type { Repositories } from '../store/repositories.js';

export interface ClassesApiDeps {
  repos: Repositories;
  tokenMaxTtlSeconds: number;
  /** Applies a new plan to the class if it is live (and tells its clients). */
  planChanged(classId: string, plan: Plan): void;
}

/**
 * `/api/v1/classes/:id/…`, authorised by a join token for that class in `Authorization: Bearer`
 * (club API keys come with the members-only work). Coaches see and change everything; a member
 * sees only their own summary.
 */
export function classesApi(deps: ClassesApiDeps): express.Router {
  const router = express.Router();

  async function authorise(req: Request): Promise<JoinIdentity> {
    const header = req.get('authorization') ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!token) throw new AppError(ErrorCode.Unauthorized, 'Send a join token as "Authorization: Bearer <token>"', 401);
    const who = await verifyJoinToken(token, async (clubId) => (await deps.repos.clubs.get(clubId))?.joinSecret, { maxTtlSeconds: deps.tokenMaxTtlSeconds });
    if (who.classId !== req.params.id) throw new AppError(ErrorCode.ClassMismatch, 'This token is for another class', 403);
    return who;
  }

  router.get('/:id/summary', async (req, res) => {
    const who = await authorise(req);
    const cls = await deps.repos.classes.get(req.params.id!);
    if (!cls) throw new AppError(ErrorCode.ClassNotFound, 'No such class', 404);
    const [visits, reps] = await Promise.all([deps.repos.attendance.listForClass(cls.id), deps.repos.reps.countsForClass(cls.id)]);
    const summary = buildSummary(
      cls,
      visits.map((v) => ({ identity: v.identity, displayName: v.display_name, role: v.role, level: v.level, joinedAt: new Date(v.joined_at), leftAt: v.left_at ? new Date(v.left_at) : null })),
      reps,
      new Date(),
    );
    if (who.role !== 'coach') summary.people = summary.people.filter((p) => p.identity === who.identity);
    if (req.query.format === 'csv' || (req.accepts(['json', 'text/csv']) === 'text/csv' && req.query.format !== 'json')) {
      res.type('text/csv').setHeader('Content-Disposition', `attachment; filename="${cls.id}-summary.csv"`);
      res.send(summaryToCsv(summary));
      return;
    }
    res.json(summary);
  });

  router.get('/:id/plan', async (req, res) => {
    await authorise(req);
    const cls = await deps.repos.classes.get(req.params.id!);
    if (!cls) throw new AppError(ErrorCode.ClassNotFound, 'No such class', 404);
    res.json({ plan: cls.plan });
  });

  router.put('/:id/plan', async (req, res) => {
    const who = await authorise(req);
    if (who.role !== 'coach') throw new AppError(ErrorCode.Forbidden, 'Only the coach can edit the plan', 403);
    const parsed = planSchema.safeParse((req.body as { plan?: unknown } | undefined)?.plan);
    if (!parsed.success) throw new AppError(ErrorCode.BadRequest, parsed.error.issues.map((i) => `plan.${i.path.join('.')}: ${i.message}`).join('; '));
    await deps.repos.classes.setPlan(who.classId, parsed.data);
    deps.planChanged(who.classId, parsed.data);
    res.json({ plan: parsed.data });
  });

  return router;
}
