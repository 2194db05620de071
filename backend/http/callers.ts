import type { Request } from 'express';
import { ErrorCode } from '../../protocol/error-codes.js';
import { parseApiKey, secretMatches } from '../auth/api-keys.js';
import { verifyJoinToken } from '../auth/join-token.js';
import { isOriginAllowed } from '../auth/origins.js';
import { AppError } from '../errors.js';
import type { Repositories } from '../store/repositories.js';

/** Who is calling: the club itself (API key: staff rights) or one person (join token for one class). */
export type Caller = { kind: 'club'; clubId: string } | { kind: 'person'; clubId: string; classId: string; role: 'coach' | 'member'; identity: string };

export const zodMessage = (issues: { path: PropertyKey[]; message: string }[]) => issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');

/**
 * Reads `Authorization: Bearer <club API key | join token>`. A browser request from another site
 * (an `Origin` header) is answered only when the caller's club allows that site, as for sockets.
 */
export function callerFrom(repos: Repositories, tokenMaxTtlSeconds: number): (req: Request) => Promise<Caller> {
  return async (req) => {
    const caller = await identify(req);
    const origin = req.get('origin');
    if (origin) {
      const club = await repos.clubs.get(caller.clubId);
      if (!isOriginAllowed(origin, req.get('host'), club?.allowedOrigins ?? [])) throw new AppError(ErrorCode.OriginNotAllowed, 'This site may not use the club’s classes', 403);
    }
    return caller;
  };

  async function identify(req: Request): Promise<Caller> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (!bearer) throw new AppError(ErrorCode.Unauthorized, 'Send a club API key or a join token as "Authorization: Bearer …"', 401);
    if (bearer.startsWith('flk_')) {
      const parsed = parseApiKey(bearer);
      const stored = parsed && (await repos.apiKeys.get(parsed.id));
      if (!parsed || !stored || !secretMatches(parsed.secret, stored.secretHash)) throw new AppError(ErrorCode.Unauthorized, 'Unknown or revoked API key', 401);
      return { kind: 'club', clubId: stored.clubId };
    }
    const who = await verifyJoinToken(bearer, async (clubId) => (await repos.clubs.get(clubId))?.joinSecret, { maxTtlSeconds: tokenMaxTtlSeconds });
    return { kind: 'person', clubId: who.clubId, classId: who.classId, role: who.role, identity: who.identity };
  }
}

export function clubOnly(c: Caller): Extract<Caller, { kind: 'club' }> {
  if (c.kind !== 'club') throw new AppError(ErrorCode.Forbidden, 'This needs the club’s API key', 403);
  return c;
}
