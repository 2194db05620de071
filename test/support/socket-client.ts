import { io, type Socket } from 'socket.io-client';
import type { RunningServer } from '../../backend/main.js';

/** A Node Socket.IO client speaking the class protocol, as a misbehaving or honest client would. */
export function connect(server: RunningServer, auth: unknown, headers: Record<string, string> = {}): Socket {
  return io(server.url, { auth: auth as Record<string, unknown>, transports: ['websocket'], reconnection: false, extraHeaders: headers, forceNew: true });
}

export function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
}

/** Resolves with the server's refusal `{ code, message }`. */
export function refused(socket: Socket): Promise<{ code: string; message: string }> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('connected but should have been refused')));
    socket.once('connect_error', (err: Error & { data?: { code: string; message: string } }) => resolve(err.data ?? { code: 'none', message: err.message }));
  });
}

export function request(socket: Socket, name: string, payload?: unknown): Promise<{ data?: any; error?: { code: string; message: string } }> {
  return socket.timeout(5000).emitWithAck(name, payload);
}

export function nextEvent<T = any>(socket: Socket, name: string, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${name} within ${timeoutMs} ms`)), timeoutMs);
    socket.once(name, (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

export async function devToken(server: RunningServer, body: { classId?: string; role: 'coach' | 'member'; name: string; identity?: string }): Promise<string> {
  const res = await fetch(`${server.url}/api/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ classId: 'demo-hiit', ...body }),
  });
  const json = (await res.json()) as { token: string };
  return json.token;
}
