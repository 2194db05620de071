import crypto from 'node:crypto';
import type { Namespace, Socket } from 'socket.io';
import { ErrorCode } from '../../protocol/error-codes.js';
import { CHAT_PAGE_SIZE } from '../../protocol/social.js';
import { VIEWER_MIRRORED, viewerHandshakeSchema, viewerRequestSchemas, type ViewerRequestName, type ViewerRequestPayload, type ViewerResponseMap } from '../../protocol/viewer-chat.js';
import { isOriginAllowed } from '../auth/origins.js';
import { verifyViewerToken, type Viewer } from '../auth/viewer-token.js';
import { AppError, toErrorBody } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Repositories } from '../store/repositories.js';
import { classChannel, type LiveClasses } from './live-classes.js';
import { answerRequest, answerUnknown } from './requests.js';
import type { Metrics } from '../metrics.js';
import { memoryLimiters, type LimiterFactory } from '../rate-limits.js';
import { EventBudget, guardEvents } from './event-budget.js';
import { clientAddressOf } from '../client-address.js';

export interface ViewerChatDeps {
  repos: Repositories;
  liveClasses: LiveClasses;
  /** Whether a stream is on air on this node (viewers write only then). */
  isLive(streamId: string): boolean;
  logger: Logger;
  tokenMaxTtlSeconds: number;
  joinRatePerMinute: number;
  socketRateScale?: number | undefined;
  metrics?: Metrics | undefined;
  limiters?: LimiterFactory | undefined;
  /** Proxies believed for X-Forwarded-For (TRUST_PROXY); default loopback. */
  trustProxy?: string[] | undefined;
}

/** A broadcast viewer's id on their chat messages: stable per person and class, never a member's. */
export function viewerChatId(clubId: string, classId: string, identity: string): string {
  return `v_${crypto.createHash('sha256').update(`${clubId}\0${classId}\0${identity}`).digest('base64url').slice(0, 16)}`;
}

export const isViewerChatId = (id: string) => id.startsWith('v_');

const viewerChannel = (viewerId: string) => `viewer:${viewerId}`;

/** A viewer's message on its way to the node running the class (plain data: it may cross Redis). */
export interface ViewerSend {
  data: ViewerData;
  text: string;
  clientId: string;
}
export type ViewerSendAnswer = { data: ViewerResponseMap['chat:send'] } | { error: { code: string; message: string } };

interface ViewerData {
  viewer: Viewer;
  streamId: string;
  classId: string;
  chatId: string;
  /** Their participants row, made when they first write or report. */
  dbId?: number;
}

type Handler<N extends ViewerRequestName> = (v: ViewerData, payload: ViewerRequestPayload<N>) => Promise<ViewerResponseMap[N]>;

/**
 * The chat of a class's broadcast for its viewers, on its own namespace: a viewer token gets in
 * (from the club's sites only), reads the class chat and, while the stream is on air, writes into
 * it under the same rules as members (order, retries, rate limit, word filter, mutes). The class's
 * own chat notifications reach viewers because the class's emitter mirrors them here.
 */
export class ViewerChat {
  /**
   * Several nodes: hands a send for a class running elsewhere to its node (undefined: no node
   * runs it). Set by the composition root when there is a cluster.
   */
  forward: ((msg: ViewerSend) => Promise<ViewerSendAnswer | undefined>) | undefined;

  constructor(
    private readonly nsp: Namespace,
    private readonly deps: ViewerChatDeps,
  ) {
    const clientAddress = clientAddressOf(deps.trustProxy ?? ['loopback']);
    const joinLimiter = (deps.limiters ?? memoryLimiters)('viewer-join', { points: deps.joinRatePerMinute, duration: 60 });
    nsp.use(async (socket, next) => {
      try {
        await joinLimiter.consume(clientAddress(socket.request)).catch(() => {
          throw new AppError(ErrorCode.RateLimited, 'Too many join attempts; wait a minute', 429);
        });
        (socket.data as ViewerData) = await this.admit(socket);
        next();
      } catch (err) {
        if (!(err instanceof AppError)) deps.logger.error({ err }, 'viewer handshake failed');
        const body = toErrorBody(err);
        next(Object.assign(new Error(body.message), { data: body }));
      }
    });
    nsp.on('connection', (socket) => this.connected(socket));
  }

  /** Passes a notification sent to a class's channel on to the viewers of its broadcasts (chat only). */
  mirror(channel: string, name: string, payload: unknown): void {
    if (VIEWER_MIRRORED.has(name)) this.nsp.to(channel).emit(name, payload);
  }

  /** Tells a viewer the coach muted or unmuted them (every tab of theirs). */
  muted(viewerId: string, muted: boolean): void {
    this.nsp.to(viewerChannel(viewerId)).emit('chat:muted', { muted });
  }

  private async admit(socket: Socket): Promise<ViewerData> {
    const { repos } = this.deps;
    const auth = viewerHandshakeSchema.safeParse(socket.handshake.auth);
    if (!auth.success) throw new AppError(ErrorCode.Unauthorized, 'A viewer token and stream id are required', 401);
    const viewer = await verifyViewerToken(auth.data.token, async (clubId) => (await repos.clubs.get(clubId))?.joinSecret, this.deps.tokenMaxTtlSeconds);
    if (viewer.streamId !== auth.data.streamId) throw new AppError(ErrorCode.Forbidden, 'This token is for another stream', 403);
    const [stream, club] = await Promise.all([repos.streams.get(viewer.streamId), repos.clubs.get(viewer.clubId)]);
    if (!stream || stream.clubId !== viewer.clubId) throw new AppError(ErrorCode.StreamNotFound, 'No such stream', 404);
    if (!isOriginAllowed(socket.handshake.headers.origin, socket.handshake.headers.host, club?.allowedOrigins ?? [])) {
      throw new AppError(ErrorCode.OriginNotAllowed, 'This site may not show the club’s streams', 403);
    }
    if (stream.source.type !== 'class') throw new AppError(ErrorCode.ChatUnavailable, 'This stream has no chat', 404);
    const classId = stream.source.classId;
    return { viewer, streamId: stream.id, classId, chatId: viewerChatId(viewer.clubId, classId, viewer.identity) };
  }

  private get budget(): EventBudget {
    return (this.eventBudget ??= EventBudget.scaled(this.deps.socketRateScale ?? 1));
  }
  private eventBudget: EventBudget | undefined;

  private connected(socket: Socket): void {
    const data = socket.data as ViewerData;
    void socket.join([classChannel(data.classId), viewerChannel(data.chatId)]);
    // The token's expiry ends the chat as it ends playback.
    const expiry = setTimeout(() => socket.disconnect(true), Math.max(0, Math.min(data.viewer.expiresAt * 1000 - Date.now(), 2 ** 31 - 1)));
    socket.on('disconnect', () => clearTimeout(expiry));
    guardEvents(socket, this.budget, this.deps.logger);
    for (const name of Object.keys(viewerRequestSchemas) as ViewerRequestName[]) {
      socket.on(name, (payload: unknown, ack: unknown) => void this.dispatch(data, name, payload, ack));
    }
    answerUnknown(socket, viewerRequestSchemas);
  }

  private dispatch(data: ViewerData, name: ViewerRequestName, payload: unknown, ack: unknown): Promise<void> {
    const handler = this.handlers[name] as Handler<ViewerRequestName>;
    return answerRequest(name, viewerRequestSchemas[name] as never, payload, ack, (p) => handler(data, p as never), this.deps.logger, (outcome, s) => this.deps.metrics?.request(`viewer ${name}`, outcome, s));
  }

  private async participantRow(v: ViewerData): Promise<number> {
    v.dbId ??= await this.deps.repos.attendance.ensureParticipant(v.viewer.clubId, v.viewer.identity, v.viewer.displayName);
    return v.dbId;
  }

  /** Posts a viewer's message into a class running on this node; the answer is plain data. */
  async sendHere({ data: v, text, clientId }: ViewerSend): Promise<ViewerSendAnswer> {
    try {
      const { repos, liveClasses } = this.deps;
      const live = liveClasses.get(v.classId);
      if (!live || !this.deps.isLive(v.streamId)) throw new AppError(ErrorCode.StreamNotLive, 'The chat opens when the broadcast is live', 409);
      const sender = { key: v.chatId, displayName: v.viewer.displayName, role: 'viewer' as const, dbId: () => this.participantRow(v) };
      const data = await live.social.post(sender, text, clientId, async () => {
        // Read from the store (an indexed lookup; sends are rate limited): a mute set before a restart, or on another node, holds.
        if (await repos.chat.isMuted(v.classId, v.viewer.identity)) {
          live.rules.restoreViewerChatMute(v.chatId);
          throw new AppError(ErrorCode.ChatMuted, 'The coach has muted your chat', 403);
        }
      });
      return { data };
    } catch (err) {
      return { error: toErrorBody(err) };
    }
  }

  private readonly handlers: { [N in ViewerRequestName]: Handler<N> } = {
    'chat:join': async (v) => ({
      self: { id: v.chatId, displayName: v.viewer.displayName, role: 'viewer' },
      muted: await this.deps.repos.chat.isMuted(v.classId, v.viewer.identity),
    }),

    'chat:history': async (v, { beforeSeq }) => this.deps.repos.chat.page(v.classId, CHAT_PAGE_SIZE, beforeSeq),

    'chat:send': async (v, { text, clientId }) => {
      const answer = !this.deps.liveClasses.get(v.classId) && this.forward ? await this.forward({ data: v, text, clientId }) : undefined;
      const settled = answer ?? (await this.sendHere({ data: v, text, clientId }));
      if ('error' in settled) throw new AppError(settled.error.code as ErrorCode, settled.error.message);
      return settled.data;
    },

    'chat:report': async (v, { seq, reason }) => {
      const { repos } = this.deps;
      const message = await repos.chat.get(v.classId, seq);
      if (!message) throw new AppError(ErrorCode.NotFound, `No message ${seq}`, 404);
      const reporterDbId = await this.participantRow(v);
      await repos.chat.report({ classId: v.classId, seq, reporterDbId, reason: reason ?? '' });
      return {};
    },
  };
}
