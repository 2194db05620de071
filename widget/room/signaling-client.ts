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

/** Typed request/notification wrapper over a Socket.IO connection to a class. */
/**
 * How long a dropped connection keeps trying (with backoff and jitter) before the room gives up
 * and shows a clear error with a Rejoin button: a minute covers a Wi-Fi to 4G switch or a server
 * restart, and is short enough that nobody stares at a spinner.
 */
export const RECONNECT_GIVE_UP_MS = 60_000;

export class SignalingClient {
  private readonly socket: Socket;
  private everConnected = false;
  private giveUpTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    server: string,
    auth: { token: string; classId: string },
    private readonly on: SignalingEvents,
  ) {
    this.socket = io(server, {
      auth,
      // WebSocket first (one round trip less than polling-then-upgrade), polling if it is blocked.
      transports: ['websocket', 'polling'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
      randomizationFactor: 0.5,
      timeout: 8000,
    });
    this.socket.on('connect', () => {
      if (this.giveUpTimer) clearTimeout(this.giveUpTimer);
      this.giveUpTimer = undefined;
      const again = this.everConnected;
      this.everConnected = true;
      on.status('connected');
      if (again) on.reconnected();
    });
    this.socket.on('disconnect', (reason) => {
      // The server or we closed it on purpose: no retry.
      if (reason === 'io server disconnect' || reason === 'io client disconnect') on.status('disconnected');
      else {
        on.status('reconnecting');
        this.giveUpTimer ??= setTimeout(() => {
          this.giveUpTimer = undefined;
          if (this.socket.connected) return;
          this.socket.disconnect();
          on.status('disconnected');
          on.failed(new FitError(ErrorCode.ServerUnreachable, `Lost the connection to the class for ${RECONNECT_GIVE_UP_MS / 1000} s. Check your network, then rejoin.`));
        }, RECONNECT_GIVE_UP_MS);
      }
    });
    this.socket.on('connect_error', (err: Error & { data?: ErrorBody }) => {
      if (err.data?.code) {
        // Refused by the server (bad token, wrong class, origin): retrying cannot help.
        this.socket.disconnect();
        on.status('disconnected');
        on.failed(new FitError(err.data.code, err.data.message));
      } else if (!this.everConnected) {
        this.socket.disconnect();
        on.status('disconnected');
        on.failed(new FitError(ErrorCode.ServerUnreachable, `Cannot reach the class server (${server})`));
      }
    });
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

  onNotification<N extends NotificationName>(name: N, handler: (payload: NotificationPayload<N>) => void): void {
    this.socket.on(name as string, handler as (...args: unknown[]) => void);
  }

  close(): void {
    if (this.giveUpTimer) clearTimeout(this.giveUpTimer);
    this.socket.disconnect();
  }
}
