import { io, type Socket } from 'socket.io-client';
import { signJoinToken } from '../../backend/auth/join-token.js';
import type { RunningServer } from '../../backend/main.js';
import { DEMO_CLASS_ID, DEMO_CLUB_ID } from '../../backend/store/seed.js';

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

export interface ClassSeat {
  role: 'coach' | 'member';
  /** The identity (`sub`); also the display name unless `name` is given. */
  sub: string;
  name?: string;
  classId?: string;
}

/** A connected socket for a demo-club class, with a join token signed here with the club's secret. */
export async function openClass(server: RunningServer, seat: ClassSeat): Promise<Socket> {
  const classId = seat.classId ?? DEMO_CLASS_ID;
  const secret = (await server.repos.clubs.get(DEMO_CLUB_ID))!.joinSecret;
  const token = await signJoinToken({ club: DEMO_CLUB_ID, class: classId, role: seat.role, name: seat.name ?? seat.sub, sub: seat.sub }, secret, 600);
  const socket = connect(server, { token, classId });
  await connected(socket);
  return socket;
}

/** …and seated: joined with the router's own capabilities (a valid client capability set). Throws if refused. */
export async function seatInClass(server: RunningServer, seat: ClassSeat): Promise<{ socket: Socket; id: string; join: any }> {
  const socket = await openClass(server, seat);
  const caps = (await request(socket, 'room:capabilities', {})).data.routerRtpCapabilities;
  const res = await request(socket, 'room:join', { rtpCapabilities: caps });
  if (!res.data) throw new Error(`join refused: ${JSON.stringify(res.error)}`);
  return { socket, id: res.data.self.id as string, join: res.data };
}
