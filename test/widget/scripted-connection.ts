import type { ClassStateView } from '../../protocol/class-state.js';
import type { JoinResult } from '../../protocol/signaling.js';
import { FitError } from '../../widget/room/fit-error.js';
import type { MediaSession } from '../../widget/room/media-session.js';
import type { RoomDeps } from '../../widget/room/room-model.js';
import type { SignalingClient, SignalingEvents } from '../../widget/room/signaling-client.js';

/*
 * A connection that answers from a script, for <fit-class-room> states the real backend reaches
 * only with many people or at a bad moment (a full class, a connection lost mid-join). No media.
 */

export const classState = (): ClassStateView => ({
  mode: 'teach',
  plan: [],
  cards: { beginner: null, intermediate: null, advanced: null },
  spotlightId: null,
  breakouts: null,
  timer: null,
  autoCount: {},
  ended: false,
  participants: { 'p-1': { level: 'beginner', reps: {}, mutedByCoach: false, micLocked: false } },
  hands: [],
  chatMuted: [],
  seats: { capacity: 1, taken: 1, waiting: 0 },
});

export class ScriptedConnection {
  calls: string[] = [];
  full = true;
  private readonly handlers = new Map<string, (payload: unknown) => void>();
  constructor(readonly events: SignalingEvents) {
    queueMicrotask(() => events.status('connected'));
  }
  async request(name: string, _payload: unknown): Promise<unknown> {
    this.calls.push(name);
    switch (name) {
      case 'room:join': {
        if (this.full) throw new FitError('class_full', 'This class is full (1 places)');
        const joined: Partial<JoinResult> = {
          self: { id: 'p-1', role: 'member', displayName: 'Wanda' },
          classState: classState(),
          serverNow: Date.now(),
          classId: 'demo-hiit',
          classTitle: 'HIIT',
          routerRtpCapabilities: {},
          participants: [],
          transports: { send: {} as never, recv: {} as never },
          consumers: [],
        };
        return joined;
      }
      case 'waitlist:join':
        return { position: 3 };
      case 'time:sync':
        return { serverNow: Date.now() };
      case 'chat:history':
        return { messages: [], hasMore: false };
      default:
        return {};
    }
  }
  onNotification(name: string, handler: (payload: unknown) => void): void {
    this.handlers.set(name, handler);
  }
  notify(name: string, payload: unknown): void {
    this.handlers.get(name)?.(payload);
  }
  close(): void {}
}

export function scriptedDeps(): { deps: RoomDeps; connection: () => ScriptedConnection; cameras: MediaStream[] } {
  let connection: ScriptedConnection | undefined;
  const cameras: MediaStream[] = [];
  const media = {
    rtpCapabilities: {},
    adopt() {},
    acceptOffered: async () => [],
    receive: async () => [],
    publish: async () => undefined,
    close() {},
    closeConsumer() {},
  } as unknown as MediaSession;
  const deps: RoomDeps = {
    connect: (_server, _auth, events) => (connection = new ScriptedConnection(events)) as unknown as SignalingClient,
    createMedia: async () => media,
    fetchCapabilities: async () => ({}),
    getUserMedia: async () => {
      const canvas = document.createElement('canvas');
      canvas.getContext('2d');
      const stream = canvas.captureStream(1);
      cameras.push(stream);
      return stream;
    },
  };
  return { deps, connection: () => connection!, cameras };
}
