import { io, type Socket } from 'socket.io-client';
import { ErrorCode } from '../../protocol/error-codes.js';
import type { ErrorBody } from '../../protocol/errors.js';
import type { Ack, NotificationName, NotificationPayload, RequestName, RequestPayload, ResponseMap } from '../../protocol/signaling.js';
import { FitError } from './fit-error.js';

export type SignalingStatus = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

export interface SignalingEvents {
  status(status: SignalingStatus): void;
  /** The first connection was refused or the server cannot be reached. */
  failed(error: FitError): void;
  /** Re-established after a drop: the server has forgotten this seat, so join again. */
  reconnected(): void;
}

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * How long a dropped connection keeps trying (with backoff and jitter) before the room gives up
 * and shows a clear error with a Rejoin button: a minute covers a Wi-Fi to 4G switch or a server
 * restart, and is short enough that nobody stares at a spinner.
 */
export const RECONNECT_GIVE_UP_MS = 60_000;

/** A node we were sent to is gone, or keeps sending us on: wait before asking again. */
const moveDelay = (moves: number) => Math.min(5000, 250 * 2 ** moves) * (0.5 + Math.random());
/** Moves without ever connecting before the first connection counts as unreachable. */
const MAX_MOVES_BEFORE_FIRST_CONNECT = 6;

/**
 * With several backend nodes, a class runs on one of them: `server` (the club's address, often a
 * load balancer) answers the handshake with `wrong_node` and that node's URL, and the client
 * follows. When that node dies, the client goes back to `server`, which places the class on a
 * live node. Notification handlers and the auth (with any renewed token) carry over.
 */
export class SignalingClient {
  private socket: Socket;
  private url: string;
  private everConnected = false;
  private giveUpTimer: ReturnType<typeof setTimeout> | undefined;
  private moveTimer: ReturnType<typeof setTimeout> | undefined;
  /** Moves between nodes since the last successful connection. */
  private moves = 0;
  private closed = false;
  private readonly handlers: Array<[string, (...args: unknown[]) => void]> = [];

  constructor(
    private readonly server: string,
    private auth: { token: string; classId: string },
    private readonly on: SignalingEvents,
  ) {
    this.url = server;
    this.socket = this.open(server);
  }

  private open(url: string): Socket {
    const { on } = this;
    const socket = io(url, {
      auth: this.auth,
      // WebSocket first (one round trip less than polling-then-upgrade), polling if it is blocked.
      transports: ['websocket', 'polling'],
      // Retries every 0.5, 1, then 2 s at most: a restarted backend (a deploy, a crash) is back in a
      // few seconds and a class should be too. The first retries' jitter spreads the seats over 2 s.
      reconnectionDelay: 500,
      reconnectionDelayMax: 2000,
      randomizationFactor: 0.5,
      timeout: 8000,
      // Each node gets its own connection (the default would share one per origin).
      forceNew: true,
    });
    for (const [name, handler] of this.handlers) socket.on(name, handler);
    socket.on('connect', () => {
      if (this.giveUpTimer) clearTimeout(this.giveUpTimer);
      this.giveUpTimer = undefined;
      this.moves = 0;
      const again = this.everConnected;
      this.everConnected = true;
      on.status('connected');
      if (again) on.reconnected();
    });
    socket.on('disconnect', (reason) => {
      // The server or we closed it on purpose: no retry.
      if (reason === 'io server disconnect' || reason === 'io client disconnect') on.status('disconnected');
      else {
        on.status('reconnecting');
        this.giveUpTimer ??= setTimeout(() => {
          this.giveUpTimer = undefined;
          if (this.socket.connected) return;
          this.stop();
          on.status('disconnected');
          on.failed(new FitError(ErrorCode.ServerUnreachable, `Lost the connection to the class for ${RECONNECT_GIVE_UP_MS / 1000} s. Check your network, then rejoin.`));
        }, RECONNECT_GIVE_UP_MS);
      }
    });
    socket.on('connect_error', (err: Error & { data?: ErrorBody & { url?: unknown } }) => {
      if (socket !== this.socket) return;
      const redirect = err.data?.code === ErrorCode.WrongNode ? nodeUrl(err.data.url, this.url) : undefined;
      if (redirect) {
        // The first redirect is followed at once; a run of them backs off.
        this.moveTo(redirect, this.moves === 0 ? 0 : moveDelay(this.moves));
      } else if (err.data?.code) {
        // Refused by the server (bad token, wrong class, origin): retrying cannot help.
        this.stop();
        on.status('disconnected');
        on.failed(new FitError(err.data.code, err.data.message));
      } else if (!this.everConnected && (this.url === this.server || this.moves >= MAX_MOVES_BEFORE_FIRST_CONNECT)) {
        this.stop();
        on.status('disconnected');
        on.failed(new FitError(ErrorCode.ServerUnreachable, `Cannot reach the class server (${this.server})`));
      } else if (this.url !== this.server) {
        // The node we were sent to does not answer: ask the club's server where the class is now.
        this.moveTo(this.server, moveDelay(this.moves));
      }
    });
    return socket;
  }

  private moveTo(url: string, delayMs: number): void {
    this.moves++;
    // Silently: the room stays "connecting"/"reconnecting" while the client moves.
    this.socket.removeAllListeners();
    this.socket.disconnect();
    if (this.moveTimer) clearTimeout(this.moveTimer);
    this.moveTimer = setTimeout(() => {
      this.moveTimer = undefined;
      if (this.closed) return;
      this.url = url;
      this.socket = this.open(url);
    }, delayMs);
  }

  private stop(): void {
    this.closed = true;
    if (this.moveTimer) clearTimeout(this.moveTimer);
    this.socket.disconnect();
  }

  request<N extends RequestName>(name: N, payload: RequestPayload<N>): Promise<ResponseMap[N]> {
    return new Promise((resolve, reject) => {
      this.socket.timeout(REQUEST_TIMEOUT_MS).emit(name, payload, (err: Error | null, res: Ack<N>) => {
        if (err) reject(new FitError(ErrorCode.ServerUnreachable, `No answer to ${name}`));
        else if ('error' in res) reject(new FitError(res.error.code, res.error.message));
        else resolve(res.data);
      });
    });
  }

  /** The connection is up now (a request sent while it is not waits for the next one). */
  get connected(): boolean {
    return this.socket.connected;
  }

  /** Sends this auth (the same token, in the taker's object, which renewals update) from now on. */
  useAuth(auth: { token: string; classId: string }): void {
    this.auth = auth;
    this.socket.auth = auth;
  }

  onNotification<N extends NotificationName>(name: N, handler: (payload: NotificationPayload<N>) => void): void {
    this.handlers.push([name, handler as (...args: unknown[]) => void]);
    this.socket.on(name as string, handler as (...args: unknown[]) => void);
  }

  close(): void {
    if (this.giveUpTimer) clearTimeout(this.giveUpTimer);
    this.stop();
  }
}

/**
 * A node URL from a `wrong_node` refusal: http(s) only, and never from https down to http (the
 * join token goes along with the next handshake). Anything else is ignored.
 */
export function nodeUrl(value: unknown, from: string): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const u = new URL(value);
    if (new URL(from, 'http://x').protocol === 'https:' && u.protocol !== 'https:') return undefined;
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}
