// A RoomModel for stories: no backend, no camera. It shows whatever state a story gives it
// (joining, live, reconnecting, audio only, ended, error, full) through the same element the
// club's page uses, with animated canvases standing in for cameras.
import type { ClassStateView, Level } from '../protocol/class-state.js';
import type { ParticipantInfo } from '../protocol/participants.js';
import { RoomModel, type RemoteParticipant, type RoomDeps, type RoomState } from '../widget/room/room-model.js';

const offline: RoomDeps = {
  connect: () => {
    throw new Error('stories have no backend');
  },
  createMedia: () => Promise.reject(new Error('stories have no backend')),
  fetchCapabilities: async () => undefined,
  getUserMedia: undefined,
};

/** An animated test card (name, colour, a moving bar) as a camera: a story needs no real one. */
export function fakeCamera(label: string, hue: number): MediaStream {
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 180;
  const ctx = canvas.getContext('2d')!;
  const draw = (t: number) => {
    ctx.fillStyle = `hsl(${hue} 45% 28%)`;
    ctx.fillRect(0, 0, 320, 180);
    ctx.fillStyle = `hsl(${hue} 70% 60%)`;
    ctx.fillRect(((t / 8) % 360) - 40, 150, 40, 12);
    ctx.fillStyle = '#fff';
    ctx.font = '600 22px system-ui, sans-serif';
    ctx.fillText(label, 16, 40);
    requestAnimationFrame(draw);
  };
  requestAnimationFrame(draw);
  return canvas.captureStream(15);
}

const person = (id: string, displayName: string, role: ParticipantInfo['role'], hue: number, video = true): RemoteParticipant => {
  const stream = video ? fakeCamera(displayName, hue) : new MediaStream();
  const camera = stream.getVideoTracks()[0];
  return {
    id, displayName, role, stream, hasVideo: video, hasAudio: true, screen: new MediaStream(), hasScreen: false,
    views: { camera: camera ? new MediaStream([camera]) : undefined, mic: undefined, screen: undefined, screenAudio: undefined },
  };
};

export const COACH = () => person('p_coach', 'Coach Sam', 'coach', 20);
export const MEMBERS = () => [person('p_ana', 'Ana', 'member', 200), person('p_ben', 'Ben', 'member', 140), person('p_chloe', 'Chloé', 'member', 280, false)];

/** A class in workout mode, three levels on their cards, a running interval timer. */
export function liveClassState(selfId: string, level: Level = 'intermediate'): ClassStateView {
  const member = (l: Level, reps: number) => ({ level: l, reps: { squats: reps }, mutedByCoach: false, micLocked: false });
  return {
    mode: 'workout',
    plan: [
      { id: 'squats', name: 'Air squats', targets: { beginner: { reps: 10 }, intermediate: { reps: 15 }, advanced: { reps: 25 } } },
      { id: 'plank', name: 'Plank hold', targets: { beginner: { seconds: 20 }, intermediate: { seconds: 40 }, advanced: { seconds: 60 } } },
    ],
    cards: { beginner: 0, intermediate: 0, advanced: 1 },
    spotlightId: null,
    breakouts: null,
    timer: { spec: { workSeconds: 40, restSeconds: 20, rounds: 4 }, startedAt: Date.now() - 12_000, pausedMs: 0, pausedAt: null, skippedMs: 0 },
    autoCount: {},
    ended: false,
    participants: { [selfId]: member(level, 7), p_ana: member('beginner', 4), p_ben: member('advanced', 11), p_chloe: member('intermediate', 9) },
    hands: ['p_ben'],
    chatMuted: [],
    seats: { capacity: 20, taken: 4, waiting: 0 },
  };
}

export class MockRoom extends RoomModel {
  constructor(state: Partial<RoomState>, classState?: ClassStateView) {
    super({ server: 'https://media.example-club.com', classId: 'hiit-monday', token: 'story' }, offline);
    this.show(state);
    if (classState) this.fitness.attach(undefined, classState);
  }

  /** Puts the room in a state (a story, or a control). */
  show(patch: Partial<RoomState>): void {
    this.set(patch);
  }

  override async join(): Promise<void> {
    this.show({ phase: 'joining', connection: 'connecting' });
  }

  override async leave(): Promise<void> {
    this.show({ phase: 'left', connection: 'disconnected' });
  }
}

/** A joined room as a member (or the coach) sees it, with cameras. */
export function liveRoom(as: 'member' | 'coach', patch: Partial<RoomState> = {}): MockRoom {
  const self: ParticipantInfo = as === 'coach' ? { id: 'p_coach', displayName: 'Coach Sam', role: 'coach' } : { id: 'p_you', displayName: 'You', role: 'member' };
  const participants = as === 'coach' ? MEMBERS() : [COACH(), ...MEMBERS()];
  return new MockRoom(
    { phase: 'joined', connection: 'connected', self, classTitle: 'HIIT Express', participants, localStream: fakeCamera(self.displayName, 100), ...patch },
    liveClassState(self.id),
  );
}
