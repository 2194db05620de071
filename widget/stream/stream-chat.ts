import { io, type Socket } from 'socket.io-client';
import { ErrorCode } from '../../protocol/error-codes.js';
import type { ErrorBody } from '../../protocol/errors.js';
import { VIEWER_NAMESPACE } from '../../protocol/viewer-chat-constants.js';
import type { ViewerAck, ViewerRequestName, ViewerRequestPayload, ViewerResponseMap, ViewerSelf } from '../../protocol/viewer-chat.js';
import type { ChatMessage } from '../../protocol/social.js';
import { ChatModel, type ChatChannel, type ChatOptions } from '../room/chat-model.js';
import { FitError } from '../room/fit-error.js';

export type StreamChatStatus = 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface StreamChatState {
  status: StreamChatStatus;
  /** This viewer in the chat, once joined. */
  self: ViewerSelf | undefined;
  /** Why the chat is closed for good (bad token, a site the club does not allow, no chat). */
  error: ErrorBody | undefined;
}

export interface StreamChatOptions {
  server: string;
  streamId: string;
  token: string;
  chat?: ChatOptions;
  /** For tests: how a socket is opened. */
  connect?: (url: string, opts: Parameters<typeof io>[1]) => Socket;
}

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * A broadcast viewer's side of the class chat, DOM-free: one Socket.IO connection to the
 * viewers' namespace with the viewer token, reconnecting with backoff; the messages themselves
 * live in a `ChatModel` (the same one the class room uses: order by `seq`, safe retries, paging).
 * Fires `change` on status changes and `message` (detail: ChatMessage) for each new live message.
 */
export class StreamChat extends EventTarget {
  readonly chat: ChatModel;
  state: StreamChatState = { status: 'connecting', self: undefined, error: undefined };
  private readonly socket: Socket;
  private disposed = false;

  constructor(options: StreamChatOptions) {
    super();
    this.chat = new ChatModel(() => this.changed(), options.chat);
    const url = `${options.server.replace(/\/+$/, '')}${VIEWER_NAMESPACE}`;
    const connect = options.connect ?? io;
    this.socket = connect(url, {
      auth: { token: options.token, streamId: options.streamId },
      transports: ['websocket', 'polling'],
      reconnectionDelay: 1000,
      reconnectionDelayMax: 10_000,
      randomizationFactor: 0.5,
      timeout: 8000,
    });
    this.socket.on('connect', () => void this.join());
    this.socket.on('disconnect', (reason) => {
      this.chat.attach(undefined, undefined);
      // A server that ends the chat (token expired) means it: no retry.
      this.set({ status: reason === 'io server disconnect' || reason === 'io client disconnect' ? 'closed' : 'reconnecting' });
    });
    this.socket.on('connect_error', (err: Error & { data?: ErrorBody }) => {
      if (err.data?.code) {
        this.socket.disconnect();
        this.set({ status: 'closed', error: err.data });
      } else this.set({ status: 'reconnecting' });
    });
    this.socket.on('chat:message', (m: ChatMessage) => {
      if (this.chat.onMessage(m)) this.dispatchEvent(new CustomEvent('message', { detail: m }));
    });
    this.socket.on('chat:deleted', ({ seq }: { seq: number }) => this.chat.onDeleted(seq));
    this.socket.on('chat:muted', ({ muted }: { muted: boolean }) => this.chat.setSelfMuted(muted));
  }

  private readonly channel: ChatChannel = {
    request: (name, payload) => this.request(name as ViewerRequestName, payload as never) as never,
  };

  /** After each (re)connection: who we are, whether muted, and the newest page merged in. */
  private async join(): Promise<void> {
    try {
      const { self, muted } = await this.request('chat:join', {});
      if (this.disposed) return;
      this.chat.attach(this.channel, self);
      this.chat.setSelfMuted(muted);
      this.set({ status: 'connected', self, error: undefined });
      await this.chat.loadLatest();
    } catch {
      // The connection dropped meanwhile: the next `connect` tries again.
    }
  }

  request<N extends ViewerRequestName>(name: N, payload: ViewerRequestPayload<N>): Promise<ViewerResponseMap[N]> {
    return new Promise((resolve, reject) => {
      if (!this.socket.connected) return reject(new FitError(ErrorCode.ServerUnreachable, 'Not connected to the chat'));
      this.socket.timeout(REQUEST_TIMEOUT_MS).emit(name, payload, (err: Error | null, res: ViewerAck<N>) => {
        if (err) reject(new FitError(ErrorCode.ServerUnreachable, `No answer to ${name}`));
        else if ('error' in res) reject(new FitError(res.error.code, res.error.message));
        else resolve(res.data);
      });
    });
  }

  private set(patch: Partial<StreamChatState>): void {
    this.state = { ...this.state, ...patch };
    this.changed();
  }

  private changed(): void {
    if (!this.disposed) this.dispatchEvent(new Event('change'));
  }

  /** A fresh viewer token: the next reconnection presents it. */
  setToken(token: string): void {
    (this.socket.auth as { token: string }).token = token;
  }

  get isClosed(): boolean {
    return this.state.status === 'closed';
  }

  /** Leaves the chat (the stream ended); the messages stay readable. */
  close(): void {
    this.socket.removeAllListeners();
    this.socket.disconnect();
    this.chat.attach(undefined, undefined);
    this.set({ status: 'closed' });
  }

  dispose(): void {
    this.close();
    this.disposed = true;
  }
}
