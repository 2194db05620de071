import express from 'express';
import { z } from 'zod';
import { ErrorCode } from '../../protocol/error-codes.js';
import { normaliseWordList } from '../classes/chat-rules.js';
import { AppError } from '../errors.js';
import type { Repositories } from '../store/repositories.js';
import { callerFrom, clubOnly, zodMessage } from './callers.js';

/** `PUT /api/v1/chat/filter`. */
export const filterSchema = z.object({ words: z.array(z.string().max(64)).max(500) }).strict();

/** `/api/v1/chat`: a club's word filter and the messages its members reported (club API key). */
export function chatApi(deps: { repos: Repositories; tokenMaxTtlSeconds: number; filterChanged(clubId: string, words: string[]): void }): express.Router {
  const router = express.Router();
  const caller = callerFrom(deps.repos, deps.tokenMaxTtlSeconds);

  router.get('/filter', async (req, res) => {
    const c = clubOnly(await caller(req));
    res.json({ words: await deps.repos.clubs.chatBlockedWords(c.clubId) });
  });

  /** Replaces the club's blocked words; live classes use the new list at once. */
  router.put('/filter', async (req, res) => {
    const c = clubOnly(await caller(req));
    const body = filterSchema.safeParse(req.body);
    if (!body.success) throw new AppError(ErrorCode.BadRequest, zodMessage(body.error.issues));
    const words = normaliseWordList(body.data.words);
    await deps.repos.clubs.setChatBlockedWords(c.clubId, words);
    deps.filterChanged(c.clubId, words);
    res.json({ words });
  });

  router.get('/reports', async (req, res) => {
    const c = clubOnly(await caller(req));
    res.json({ reports: await deps.repos.chat.reportsForClub(c.clubId) });
  });

  return router;
}
