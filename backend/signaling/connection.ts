import crypto from 'node:crypto';
import type { Socket } from 'socket.io';
import { ErrorCode } from '../../protocol/errors.js';
import type { NotificationName, NotificationPayload } from '../../protocol/signaling.js';
import type { JoinIdentity } from '../auth/join-token.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { IceSettings } from '../auth/turn.js';
import type { SharedFiles } from '../files/shared-files.js';
import type { PeerMedia } from '../media/class-media.js';
import { offerFreedSeats, stopWaiting } from './waitlist.js';
import type { ViewerChat } from './viewer-chat.js';
import type { ClassRecord, Repositories } from '../store/repositories.js';
import type { LiveClass, LiveClasses, Seat } from './live-classes.js';

export interface SignalingDeps {
  repos: Repositories;
  liveClasses: LiveClasses;
  files: SharedFiles;
  /** STUN/TURN servers handed to browsers at join. */
  ice: IceSettings;
  logger: Logger;
  /** The broadcast viewers' side of class chats (told when the coach mutes a viewer). */
  viewerChat?: Pick<ViewerChat, 'muted' | 'mirror'>;
}

/** Per-socket state: who this is (from the verified token) and, once joined, their seat. */
export class Connection implements Seat {
  /** Stable per person and class, so a reconnect keeps the same tile. */
  readonly participantId: string;
  live: LiveClass | undefined;
  /** Set when following the class without a seat (`room:observe`). */
  observing: LiveClass | undefined;
  /** Set while in line for a seat in a full class. */
  waitingIn: LiveClass | undefined;
  peer: PeerMedia | undefined;
  private attendanceId: number | undefined;
  /** The participants row of this person (reps are stored against it). */
  participantDbId: number | undefined;
  private leaving: Promise<void> | undefined;
  /** Takes a fresh join token for this same person, class and role; resolves with its expiry (ms). Set by the server. */
  renewSession: (token: string) => Promise<number> = () => Promise.reject(new AppError(ErrorCode.BadRequest, 'Sessions cannot be renewed here'));
  /** When this seat's last connection-quality report was passed on (they are throttled). */
  lastQualityReportAt = 0;

  constructor(
    readonly socket: Socket,
    readonly identity: JoinIdentity,
    readonly classRecord: ClassRecord,
    readonly deps: SignalingDeps,
    readonly log: Logger,
  ) {
    const digest = crypto.createHash('sha256').update(`${identity.clubId}\0${identity.classId}\0${identity.identity}`).digest('base64url');
    this.participantId = `p_${digest.slice(0, 16)}`;
  }

  notify<N extends NotificationName>(name: N, payload: NotificationPayload<N>): void {
    this.socket.emit(name, payload);
  }

  /** Sends to the others in the class who receive this participant's media. */
  notifyReceivers<N extends NotificationName>(name: N, payload: NotificationPayload<N>): void {
    const live = this.assertJoined();
    for (const id of live.rules.receiversOf(this.participantId)) {
      const seat = live.seats.get(id);
      if (seat instanceof Connection) seat.notify(name, payload);
    }
  }

  /** Sends to everyone in the class, this connection included. */
  broadcast<N extends NotificationName>(name: N, payload: NotificationPayload<N>): void {
    const channel = this.classContext().channel;
    this.socket.nsp.to(channel).emit(name, payload);
    this.deps.viewerChat?.mirror(channel, name, payload);
  }

  /** The class this connection is in, seated or observing. */
  classContext(): LiveClass {
    const live = this.live ?? this.observing;
    if (!live) throw new AppError(ErrorCode.NotJoined, 'Join the class first');
    return live;
  }

  /** The stored participant row for this person: this seat's, or (observing) their seat's. */
  storedParticipantId(): number {
    const live = this.classContext();
    const seat = this.live ? this : live.seats.get(this.participantId);
    const id = seat instanceof Connection ? seat.participantDbId : undefined;
    if (id === undefined) throw new AppError(ErrorCode.NotJoined, 'Join the class first');
    return id;
  }

  /** Everyone re-renders from the class state after any change but a rep. */
  broadcastState(): void {
    const live = this.assertJoined();
    this.deps.liveClasses.sendState(live);
    this.deps.liveClasses.keep(live);
  }

  private sendStateTo(live: LiveClass): void {
    this.deps.liveClasses.sendState(live);
  }

  assertJoined(): LiveClass {
    if (!this.live) throw new AppError(ErrorCode.NotJoined, 'Join the class first');
    return this.live;
  }

  assertPeer(): PeerMedia {
    this.assertJoined();
    if (!this.peer) throw new AppError(ErrorCode.NotJoined, 'Join the class first');
    return this.peer;
  }

  setAttendance(ids: { attendanceId: number; participantDbId: number }): void {
    this.attendanceId = ids.attendanceId;
    this.participantDbId = ids.participantDbId;
  }

  /** Leaves the class (idempotent): frees media, tells the others, closes the attendance row. */
  leave(): Promise<void> {
    this.leaving ??= this.doLeave();
    return this.leaving;
  }

  private async doLeave(): Promise<void> {
    if (this.observing) this.socket.leave(this.observing.channel);
    this.observing = undefined;
    const waiting = this.waitingIn;
    this.waitingIn = undefined;
    if (waiting) stopWaiting(waiting, this.identity.identity, () => this.sendStateTo(waiting));
    const live = this.live;
    if (!live) return;
    if (this.vacateSeat(live)) {
      live.rules.left(this.participantId);
      live.social.reactions.forget(this.participantId);
      live.media.removePeer(this.participantId);
      this.socket.to(live.channel).emit('participant:left', { participantId: this.participantId });
      // A freed seat goes to the first in line.
      offerFreedSeats(live, () => this.sendStateTo(live));
      this.deps.liveClasses.sendState(live);
      this.deps.liveClasses.releaseIfEmpty(live.record.id);
    }
    this.socket.leave(live.channel);
    await this.closeAttendance();
    this.log.info('left class');
  }

  /**
   * Drops this connection's hold on its seat. Only the current holder frees the seat in the
   * class (a newer tab of the same person may own it now); returns whether it did.
   */
  private vacateSeat(live: LiveClass): boolean {
    this.live = undefined;
    this.peer = undefined;
    if (live.seats.get(this.participantId) !== this) return false;
    live.seats.delete(this.participantId);
    live.session.leave(this.participantId);
    return true;
  }

  private async closeAttendance(): Promise<void> {
    const id = this.attendanceId;
    this.attendanceId = undefined;
    if (id !== undefined) await this.deps.repos.attendance.close(id).catch((err: Error) => this.log.error({ err: err.message }, 'attendance close failed'));
  }

  /**
   * The client joins again on the same connection (it lost its media state: a renegotiation
   * that never settled, ICE that could not recover). Its media starts over; the others keep
   * its tile, since the participant id is the same and it is back at once.
   */
  async restartSeat(): Promise<void> {
    const live = this.live;
    if (!live) return;
    this.vacateSeat(live);
    live.media.removePeer(this.participantId);
    await this.closeAttendance();
    this.log.info('seat restarted by a new join');
  }

  /** The media moved to another worker: the seat goes, the connection stays; the client joins again. */
  mediaLost(): void {
    const live = this.live;
    if (!live) return;
    this.vacateSeat(live);
    void this.closeAttendance();
    this.notify('media:lost', {});
  }

  /** The server ends this seat: tell the client why, then drop the connection. */
  close(reason: 'replaced' | 'removed' | 'ended' | 'media_failed'): void {
    this.notify('room:closed', { reason });
    void this.leave().finally(() => this.socket.disconnect(true));
  }
}
