import type { Server } from 'socket.io';
import { ErrorCode } from '../../protocol/errors.js';
import { handshakeAuthSchema, requestSchemas, type RequestName } from '../../protocol/signaling.js';
import { verifyJoinToken, type JoinIdentity } from '../auth/join-token.js';
import { isOriginAllowed } from '../auth/origins.js';
import { AppError, toErrorBody } from '../errors.js';
import type { ClassRecord } from '../store/repositories.js';
import { Connection, type SignalingDeps } from './connection.js';
import { handlers } from './handlers.js';
import { answerRequest, answerUnknown } from './requests.js';
import type { Metrics } from '../metrics.js';
import type { Cluster } from '../cluster/cluster.js';
import { memoryLimiters, type LimiterFactory } from '../rate-limits.js';
import { EventBudget, guardEvents } from './event-budget.js';
import { clientAddressOf } from '../client-address.js';

export interface SignalingOptions extends SignalingDeps {
  tokenMaxTtlSeconds: number;
  joinRatePerMinute: number;
  /** Multiplies every per-connection message allowance (1 unless configured). */
  socketRateScale?: number | undefined;
  metrics?: Metrics | undefined;
  /** Where classes run; a class placed on another node is refused with `wrong_node` and its URL. */
  cluster?: Promise<Cluster> | undefined;
  /** Shared counters with several nodes (default: this process's memory). */
  limiters?: LimiterFactory | undefined;
  /** Proxies believed for X-Forwarded-For (TRUST_PROXY); default loopback. */
  trustProxy?: string[] | undefined;
}

/** The class runs on another node (`url`): the client reconnects there. */
class WrongNode extends AppError {
  constructor(readonly url: string) {
    super(ErrorCode.WrongNode, 'This class runs on another node', 307);
  }
}

interface AuthedData {
  identity: JoinIdentity;
  classRecord: ClassRecord;
}

/** A handshake refusal the client sees as `connect_error` with `err.data = { code, message }`. */
function refusal(err: unknown): Error {
  const body = toErrorBody(err);
  return Object.assign(new Error(body.message), { data: err instanceof WrongNode ? { ...body, url: err.url } : body });
}

/**
 * Wires the class protocol onto Socket.IO: every connection is authenticated by its join token
 * before any message is read, and every message is validated before any handler runs.
 */
export function attachSignaling(io: Server, opts: SignalingOptions): void {
  const { repos, logger } = opts;
  const clientAddress = clientAddressOf(opts.trustProxy ?? ['loopback']);
  const joinLimiter = (opts.limiters ?? memoryLimiters)('join', { points: opts.joinRatePerMinute, duration: 60 });

  io.use(async (socket, next) => {
    try {
      await joinLimiter.consume(clientAddress(socket.request)).catch(() => {
        throw new AppError(ErrorCode.RateLimited, 'Too many join attempts; wait a minute', 429);
      });
      const auth = handshakeAuthSchema.safeParse(socket.handshake.auth);
      if (!auth.success) throw new AppError(ErrorCode.Unauthorized, 'A join token and class id are required', 401);
      const identity = await verifyJoinToken(auth.data.token, async (clubId) => (await repos.clubs.get(clubId))?.joinSecret, {
        maxTtlSeconds: opts.tokenMaxTtlSeconds,
      });
      if (identity.classId !== auth.data.classId) throw new AppError(ErrorCode.ClassMismatch, 'This token is for another class', 403);
      const classRecord = await repos.classes.get(identity.classId);
      if (!classRecord || classRecord.clubId !== identity.clubId) throw new AppError(ErrorCode.ClassNotFound, 'No such class', 404);
      const club = await repos.clubs.get(identity.clubId);
      if (!isOriginAllowed(socket.handshake.headers.origin, socket.handshake.headers.host, club?.allowedOrigins ?? [])) {
        throw new AppError(ErrorCode.OriginNotAllowed, 'This site may not embed the class', 403);
      }
      const cluster = await opts.cluster;
      if (cluster?.shared) {
        const owner = await cluster.place(identity.classId);
        if (owner.id !== cluster.nodeId) throw new WrongNode(owner.url);
      }
      (socket.data as AuthedData) = { identity, classRecord };
      next();
    } catch (err) {
      if (!(err instanceof AppError)) logger.error({ err }, 'handshake failed');
      next(refusal(err));
    }
  });

  const budget = EventBudget.scaled(opts.socketRateScale ?? 1);
  io.on('connection', (socket) => {
    const { identity, classRecord } = socket.data as AuthedData;
    const log = logger.child({ sid: socket.id, classId: identity.classId, role: identity.role });
    guardEvents(socket, budget, log);
    const conn = new Connection(socket, identity, classRecord, opts, log);

    // The token's expiry ends the session: no media or class data past it (unless renewed).
    let expiry: NodeJS.Timeout;
    const endAt = (expiresAt: number) => {
      clearTimeout(expiry);
      expiry = setTimeout(() => {
        socket.emit('room:closed', { reason: 'removed' });
        void conn.leave().finally(() => socket.disconnect(true));
      }, Math.max(0, Math.min(expiresAt * 1000 - Date.now(), 2 ** 31 - 1)));
    };
    endAt(identity.expiresAt);
    conn.renewSession = async (token) => {
      const fresh = await verifyJoinToken(token, async (clubId) => (await repos.clubs.get(clubId))?.joinSecret, { maxTtlSeconds: opts.tokenMaxTtlSeconds });
      if (fresh.clubId !== identity.clubId || fresh.classId !== identity.classId || fresh.identity !== identity.identity || fresh.role !== identity.role) {
        throw new AppError(ErrorCode.Forbidden, 'A renewal token must be for the same person, class and role', 403);
      }
      endAt(fresh.expiresAt);
      return fresh.expiresAt * 1000;
    };

    for (const name of Object.keys(requestSchemas) as RequestName[]) {
      socket.on(name, (payload: unknown, ack: unknown) => void dispatch(conn, name, payload, ack, opts.metrics));
    }
    answerUnknown(socket, requestSchemas);
    socket.on('disconnect', () => {
      clearTimeout(expiry);
      void conn.leave();
    });
  });
}

function dispatch(conn: Connection, name: RequestName, payload: unknown, ack: unknown, metrics: Metrics | undefined): Promise<void> {
  const handler = handlers[name] as (c: Connection, p: unknown) => Promise<unknown>;
  return answerRequest(name, requestSchemas[name] as never, payload, ack, (p) => handler(conn, p), conn.log, metrics && ((outcome, s) => metrics.request(name, outcome, s)));
}
