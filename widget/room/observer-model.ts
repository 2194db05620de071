import type { ErrorBody } from '../../protocol/errors.js';
import type { ParticipantInfo } from '../../protocol/participants.js';
import { ClassModel } from './class-model.js';
import { FitError } from './fit-error.js';
import type { RoomOptions, RoomPhase } from './room-model.js';
import { SignalingClient } from './signaling-client.js';

/** What a rep counter needs from a room: the seat it counts for and the class model. */
export interface CounterRoom extends EventTarget {
  readonly state: { phase: RoomPhase; self: Pick<ParticipantInfo, 'id' | 'role'> | undefined; error?: ErrorBody | undefined; localStream?: MediaStream | undefined; cameraOff?: boolean };
  readonly fitness: ClassModel;
}

/**
 * Follows a class without a seat or media (`room:observe`): the standalone `<fit-rep-counter>`,
 * e.g. on a phone while the class plays on a TV. The token's person must be in the class.
 */
export class ObserverRoom extends EventTarget implements CounterRoom {
  state: CounterRoom['state'] = { phase: 'idle', self: undefined, error: undefined };
  readonly fitness = new ClassModel(() => this.dispatchEvent(new Event('change')));
  private signaling: SignalingClient | undefined;

  constructor(private readonly options: RoomOptions) {
    super();
  }

  private set(patch: Partial<CounterRoom['state']>): void {
    this.state = { ...this.state, ...patch };
    this.dispatchEvent(new Event('change'));
  }

  start(): void {
    if (this.signaling) return;
    const { server, classId, token } = this.options;
    this.set({ phase: 'joining', error: undefined });
    const signaling = new SignalingClient(server, { token, classId }, {
      status: () => undefined,
      failed: (err) => this.set({ phase: 'error', error: err.toJSON() }),
      reconnected: () => void this.observe(),
    });
    this.signaling = signaling;
    signaling.onNotification('class:members', ({ changes }) => this.fitness.onMembers(changes));
    signaling.onNotification('class:state', (s) => this.fitness.onState(s));
    signaling.onNotification('rep:counted', ({ participantId, exerciseId, count, cameraCount }) => this.fitness.onRepCounted(participantId, exerciseId, count, cameraCount));
    void this.observe();
  }

  private async observe(): Promise<void> {
    const signaling = this.signaling;
    if (!signaling) return;
    try {
      const { participantId, classState } = await signaling.request('room:observe', {});
      this.fitness.attach(signaling, classState);
      this.set({ phase: 'joined', self: { id: participantId, role: 'member' } });
      void this.fitness.syncClock().catch(() => undefined);
    } catch (err) {
      this.set({ phase: 'error', error: err instanceof FitError ? err.toJSON() : { code: 'internal_error', message: String(err) } });
    }
  }

  /** Tries again (the person may have joined the class since). */
  retry(): void {
    if (this.state.phase === 'error' && this.signaling) void this.observe();
    else this.start();
  }

  dispose(): void {
    this.signaling?.close();
    this.signaling = undefined;
    this.fitness.attach(undefined, this.fitness.state);
    this.set({ phase: 'left' });
  }
}
