import type { Server } from 'socket.io';
import type { Plan } from '../../protocol/class-state.js';
import type { SharedFiles } from '../files/shared-files.js';
import type { Logger } from '../logger.js';
import type { LiveClasses } from '../signaling/live-classes.js';
import { offerFreedSeats } from '../signaling/waitlist.js';
import type { Repositories, StoredFile } from '../store/repositories.js';
import type { StreamManager } from '../streams/stream-manager.js';
import type { Cluster } from './cluster.js';

/**
 * Something an operator did through the REST API (on whichever node the load balancer picked)
 * that the node running the class must act on.
 */
export type ClusterAction =
  | { type: 'class-plan'; classId: string; plan: Plan }
  | { type: 'class-cancelled'; classId: string }
  | { type: 'class-capacity'; classId: string; capacity: number }
  | { type: 'class-file'; classId: string; file: StoredFile }
  | { type: 'club-chat-filter'; clubId: string; words: string[] }
  | { type: 'stream-start'; streamId: string; classId: string }
  | { type: 'stream-stop'; streamId: string };

const ACTION = 'fitlive:action';

/**
 * Delivers actions to every node (this one included) over Socket.IO's Redis adapter
 * (`serverSideEmit`); each node applies what concerns the classes it runs. Alone, it is a call.
 */
export class ClusterBus {
  constructor(
    private readonly io: Server,
    private readonly shared: boolean,
    private readonly apply: (action: ClusterAction) => void,
  ) {
    if (shared) io.on(ACTION, (action: ClusterAction) => apply(action));
  }

  publish(action: ClusterAction): void {
    this.apply(action);
    if (this.shared) this.io.serverSideEmit(ACTION, action);
  }

  /**
   * Asks the other nodes; the first non-null answer wins (`undefined` when none answers: nobody
   * runs the thing asked about). Nodes that do not run it answer null.
   */
  async ask<T>(event: string, payload: unknown): Promise<T | undefined> {
    if (!this.shared) return undefined;
    // Bounded by the adapter's `requestsTimeout`.
    const answers = (await this.io.serverSideEmitWithAck(event as never, payload as never)) as Array<T | null>;
    return answers.find((a): a is T => a !== null && a !== undefined);
  }

  /** Answers `ask`s for an event from this node. */
  answer<T>(event: string, handler: (payload: never) => Promise<T | null>): void {
    if (!this.shared) return;
    this.io.on(event, (payload: unknown, reply: (answer: T | null) => void) => {
      handler(payload as never).then(reply, () => reply(null));
    });
  }
}

/** What applying an action needs: this node's classes and broadcasts. */
export interface ActionDeps {
  liveClasses: LiveClasses;
  streams: StreamManager;
  repos: Repositories;
  files: SharedFiles;
  cluster: Promise<Cluster>;
  logger: Logger;
  /** Sends to the sockets of a channel on this node only. */
  emitLocal(channel: string, name: string, payload: unknown): void;
}

/** Applies an action on this node: only what concerns classes (and broadcasts) running here. */
export function clusterActionHandler(d: ActionDeps): (action: ClusterAction) => void {
  return (action) => {
    if (action.type === 'club-chat-filter') return d.liveClasses.forClub(action.clubId, (live) => (live.social.blockedWords = action.words));
    if (action.type === 'stream-stop') return void d.streams.stop(action.streamId).catch((err: Error) => d.logger.error({ err: err.message }, 'stream stop failed'));
    if (action.type === 'stream-start') {
      // The node the class is placed on encodes it (even before the class opens here).
      void d.cluster
        .then(async (cluster) => {
          const owner = await cluster.place(action.classId);
          const stream = owner.id === cluster.nodeId ? await d.repos.streams.get(action.streamId) : undefined;
          if (stream) await d.streams.start(stream);
        })
        .catch((err: Error) => d.logger.error({ streamId: action.streamId, err: err.message }, 'stream start failed'));
      return;
    }
    const live = d.liveClasses.get(action.classId);
    if (!live) return;
    switch (action.type) {
      case 'class-plan':
        live.rules.replacePlan(action.plan);
        d.liveClasses.sendState(live);
        return;
      case 'class-cancelled':
        d.liveClasses.end(action.classId);
        return;
      case 'class-capacity':
        live.rules.seats.capacity = action.capacity;
        offerFreedSeats(live, () => d.liveClasses.sendState(live));
        d.liveClasses.sendState(live);
        return;
      case 'class-file':
        d.emitLocal(live.channel, 'file:shared', d.files.link(action.file));
        return;
    }
  };
}
