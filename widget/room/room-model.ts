import { ErrorCode } from '../../protocol/error-codes.js';
import type { ErrorBody } from '../../protocol/errors.js';
import type { ParticipantInfo, ProducerInfo, Role } from '../../protocol/participants.js';
import type { ConsumerOptions, JoinResult, QualityReport } from '../../protocol/signaling.js';
import type { Level } from '../../protocol/class-state.js';
import type { ClassSummary } from '../../protocol/summary.js';
import type { ChatMessage, SharedFile } from '../../protocol/social.js';
import { effectiveView, layerForHeight } from './adaptation.js';
import { BoardModel } from './board-model.js';
import { ChatModel } from './chat-model.js';
import { ClassModel } from './class-model.js';
import { FilesModel } from './files-model.js';
import { FitError } from './fit-error.js';
import { cameraConstraints, openLocalMedia, type GetUserMedia } from './local-media.js';
import type { MediaSession } from './media-session.js';
import type { ParticipantQuality, TrackOwner } from './quality.js';
import { QualityMonitor, type QualitySnapshot } from './quality-monitor.js';
import { ReactionsModel } from './reactions-model.js';
import { SignalingClient, type SignalingEvents, type SignalingStatus } from './signaling-client.js';
import { holdConnection, takeConnection } from './lobby-connection.js';

/** `full`: the class refused a seat (`class_full`); the connection stays open for the waitlist. */
export type RoomPhase = 'idle' | 'joining' | 'joined' | 'full' | 'left' | 'error';

export interface WaitlistState {
  /** Place in line (1 = next); 0 = a seat is held and the room is joining; undefined = not in line. */
  position: number | undefined;
}

export interface RemoteParticipant extends ParticipantInfo {
  /** Every track received from this person (camera, microphone), for pages that want them together. */
  stream: MediaStream;
  hasVideo: boolean;
  hasAudio: boolean;
  /** A screen the person shares (the coach), with its sound: shown large, apart from the camera. */
  screen: MediaStream;
  hasScreen: boolean;
  /**
   * What the element binds to its <video> and <audio> elements: one stream per track, replaced
   * (never changed) when the track changes. Chromium reloads a playing media element whose stream
   * gains or loses a track (a black blink, the frame counter back to 0), so a stream shown is
   * never mutated: audio arriving after video, or a screen's sound, cannot reload the picture.
   */
  views: MediaViews;
}

/** Single-track streams for media elements (see `RemoteParticipant.views`). */
export interface MediaViews {
  camera: MediaStream | undefined;
  mic: MediaStream | undefined;
  screen: MediaStream | undefined;
  screenAudio: MediaStream | undefined;
}

type ViewKey = keyof MediaViews;
const viewKey = (source: ConsumerOptions['source'], kind: string): ViewKey | undefined =>
  source === 'camera' && kind === 'video' ? 'camera' : source === 'mic' && kind === 'audio' ? 'mic' : source === 'screen' && kind === 'video' ? 'screen' : source === 'screen-audio' && kind === 'audio' ? 'screenAudio' : undefined;

export interface RoomState {
  phase: RoomPhase;
  connection: SignalingStatus;
  self: ParticipantInfo | undefined;
  classTitle: string | undefined;
  participants: readonly RemoteParticipant[];
  localStream: MediaStream | undefined;
  /** Fatal: the room could not be joined or was lost. */
  error: ErrorBody | undefined;
  /** Not fatal: e.g. the camera was refused but the class goes on. */
  notice: ErrorBody | undefined;
  /** Set while the class is full (phase `full`, or joining a seat held from the line). */
  waitlist: WaitlistState | undefined;
  /** Who is speaking now (participant ids, loudest first), from the server's audio levels. */
  speaking: readonly string[];
  /** The screen this coach is sharing, while sharing. */
  screenShare: MediaStream | undefined;
  /** Each remote participant's media as received here (from getStats, every couple of seconds). */
  quality: Readonly<Record<string, ParticipantQuality>>;
  /** Coaches: what each participant reports about their own connection (`quality:changed`). */
  reportedQuality: Readonly<Record<string, QualityReport>>;
  /** This seat's own summary, as reported to the server. */
  selfQuality: QualityReport | undefined;
  /**
   * Receiving audio only: `chosen` by the member (sticky until turned off), or `forced` because
   * the link could not keep video up (video comes back by itself when it recovers).
   */
  audioOnly: { chosen: boolean; forced: boolean };
  /** The highest simulcast layer the link allows now (2: no limit). */
  layerCap: number;
  /** This seat's camera is off: nothing is published and the camera is released. */
  cameraOff: boolean;
}

export interface RoomOptions {
  server: string;
  classId: string;
  token: string;
  /** A member's chosen fitness level (the coach may change it). */
  level?: Level | undefined;
}

/** What the model needs from the outside world; tests swap these. */
export interface RoomDeps {
  connect(server: string, auth: { token: string; classId: string }, events: SignalingEvents): SignalingClient;
  createMedia(signaling: SignalingClient, routerRtpCapabilities: unknown): Promise<MediaSession>;
  /** The server's router capabilities over HTTP (undefined when that fails). */
  fetchCapabilities(server: string): Promise<unknown>;
  /**
   * Starts media set-up early (optional): browser detection and the DTLS certificate; given the
   * server (the lobby), also its capabilities and the device's load, and given a token the class
   * connection itself (not joined), for the first join to take.
   */
  prewarm?(server?: string, auth?: { token: string; classId: string }): void;
  getUserMedia: GetUserMedia | undefined;
  getDisplayMedia?: ((c: DisplayMediaStreamOptions) => Promise<MediaStream>) | undefined;
}

/**
 * WebRTC (mediasoup-client and its SDP helpers) is its own chunk, most of the widget's weight:
 * pages that only count reps or play a broadcast never load it, and a class room starts loading
 * it when it appears on the page, long before the join needs it.
 */
export const loadMediaSession = () => import('./media-session.js');

const fetchCapabilities = (server: string): Promise<unknown> =>
  fetch(new URL('/api/rtp-capabilities', server), { credentials: 'omit' })
    .then((r) => (r.ok ? r.json() : undefined))
    .then((body: { routerRtpCapabilities?: unknown } | undefined) => body?.routerRtpCapabilities)
    .catch(() => undefined);

/** Capabilities fetched while the lobby showed, per server, for the next join to take (once: later joins ask afresh). */
const lobbyCapabilities = new Map<string, Promise<unknown>>();

const openSignaling = (server: string, auth: { token: string; classId: string }, events: SignalingEvents) => new SignalingClient(server, auth, events);

export const browserDeps = (): RoomDeps => ({
  // The lobby's connection when it is there (lobby-connection.ts), else a new one.
  connect: (server, auth, events) => takeConnection(server, auth, events) ?? openSignaling(server, auth, events),
  createMedia: async (signaling, caps) => (await loadMediaSession()).MediaSession.create(signaling, caps),
  fetchCapabilities: (server) => {
    const early = lobbyCapabilities.get(server);
    lobbyCapabilities.delete(server);
    return early ?? fetchCapabilities(server);
  },
  prewarm: (server, auth) => {
    let caps: Promise<unknown> | undefined;
    if (server && !lobbyCapabilities.has(server)) lobbyCapabilities.set(server, (caps = fetchCapabilities(server)));
    if (server && auth) holdConnection(server, auth, openSignaling);
    void loadMediaSession().then((m) => m.prewarmDevice(caps));
  },
  getUserMedia: typeof globalThis.navigator?.mediaDevices?.getUserMedia === 'function'
    ? (c) => navigator.mediaDevices.getUserMedia(c)
    : undefined,
  getDisplayMedia: typeof globalThis.navigator?.mediaDevices?.getDisplayMedia === 'function'
    ? (c) => navigator.mediaDevices.getDisplayMedia(c)
    : undefined,
});

export type RoomEventMap = {
  change: Event;
  joined: CustomEvent<{ participantId: string; role: Role }>;
  left: CustomEvent<{ reason: string }>;
  error: CustomEvent<ErrorBody>;
  /** A chat message that arrived live (not from history), once per seq. */
  'chat-message': CustomEvent<ChatMessage>;
  /** A burst of reactions from the class (summed per emoji). */
  reaction: CustomEvent<{ counts: Partial<Record<string, number>> }>;
  /** A file the coach shared, as it arrives live (not for the list on join). */
  'file-shared': CustomEvent<SharedFile>;
  /** The board changed on the server (someone else's draw, undo or clear, or a fresh load). */
  'board-changed': CustomEvent<{ version: number; items: number }>;
  /** This seat's own quality summary, each time it is reported to the server. */
  quality: CustomEvent<QualityReport>;
};

const newRemote = (p: ParticipantInfo): RemoteParticipant => ({
  ...p,
  stream: new MediaStream(),
  hasVideo: false,
  hasAudio: false,
  screen: new MediaStream(),
  hasScreen: false,
  views: { camera: undefined, mic: undefined, screen: undefined, screenAudio: undefined },
});

/** Performance marks (`fitlive:*`) let a page or a benchmark see where join time goes. */
const mark = (name: string) => globalThis.performance?.mark?.(`fitlive:${name}`);

/** Reads the role the token claims, only for hints (camera size, lobby) before the server answers. */
export function roleHint(token: string): Role | undefined {
  try {
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { role?: unknown };
    return payload.role === 'coach' || payload.role === 'member' ? payload.role : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The DOM-free model behind `<fit-class-room>`: joins a class, keeps who is there and their
 * media, and reports every change with a `change` event. State is committed only when the
 * server acknowledges it or media really arrives.
 */
export class RoomModel extends EventTarget {
  private s: RoomState = {
    phase: 'idle',
    connection: 'disconnected',
    self: undefined,
    classTitle: undefined,
    participants: [],
    localStream: undefined,
    error: undefined,
    notice: undefined,
    waitlist: undefined,
    speaking: [],
    screenShare: undefined,
    quality: {},
    reportedQuality: {},
    selfQuality: undefined,
    audioOnly: { chosen: false, forced: false },
    layerCap: 2,
    cameraOff: false,
  };
  private signaling: SignalingClient | undefined;
  private auth: { token: string; classId: string } | undefined;
  private media: MediaSession | undefined;
  private localMedia: Promise<MediaStream | undefined> | undefined;
  /** consumerId → participant and track, to take the track off their stream when it ends. */
  private readonly received = new Map<string, { participantId: string; track: MediaStreamTrack; source: ConsumerOptions['source'] }>();
  private generation = 0;
  /** The current join's answer is wired; until then announced tracks wait in `announcedDuringJoin`. */
  private joinedMedia = false;
  /** When the room last re-joined to recover stuck media. */
  private recoveries: number[] = [];
  private announcedDuringJoin: ProducerInfo[] = [];
  private heldDuringJoin: Array<() => void> = [];
  private joinAnswered = false;
  /** Mode, levels, plan, reps, timer, coach controls. */
  readonly fitness = new ClassModel(() => this.dispatchEvent(new Event('change')));
  /** The class chat. */
  readonly chat = new ChatModel(() => this.dispatchEvent(new Event('change')));
  /** Reactions sent and the bursts floating over the stage. */
  readonly reactions = new ReactionsModel(() => this.dispatchEvent(new Event('change')));
  /** The coach's whiteboard. */
  readonly board = new BoardModel((remote) => {
    this.dispatchEvent(new Event('change'));
    if (remote) this.emit('board-changed', { version: this.board.state.version, items: this.board.state.items.length });
  });
  /** Files the coach shared with the class. */
  readonly files = new FilesModel(() => this.dispatchEvent(new Event('change')), { onNew: (file) => this.emit('file-shared', file) });
  private preloadedMedia: Promise<MediaSession | undefined> | undefined;

  constructor(
    readonly options: RoomOptions,
    private readonly deps: RoomDeps = browserDeps(),
  ) {
    super();
  }

  get state(): RoomState {
    return this.s;
  }

  protected set(patch: Partial<RoomState>): void {
    this.s = { ...this.s, ...patch };
    this.dispatchEvent(new Event('change'));
  }

  private emit<K extends Exclude<keyof RoomEventMap, 'change'>>(type: K, detail: RoomEventMap[K]['detail']): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  /**
   * A fresh join token for the same person (the club's server or a Supabase sign-in made it):
   * used for reconnections from now on and, in the class, sent to the server so the session runs
   * on past the old token's expiry. Resolves with the new expiry (ms), or undefined when not in a class.
   */
  async renewSession(token: string): Promise<number | undefined> {
    this.options.token = token;
    if (this.auth) this.auth.token = token;
    const signaling = this.signaling;
    if (!signaling || (this.s.phase !== 'joined' && this.s.phase !== 'full')) return undefined;
    this.files.attach(signaling, { server: this.options.server, classId: this.options.classId, token });
    return (await signaling.request('session:refresh', { token })).expiresAt;
  }

  async join(): Promise<void> {
    if (this.s.phase === 'joining' || this.s.phase === 'joined') return;
    const { server, classId, token } = this.options;
    if (!server || !classId || !token) {
      this.fail(new FitError(ErrorCode.BadRequest, 'The element needs server, class-id and token attributes'));
      return;
    }
    mark('join');
    this.deps.prewarm?.();
    this.set({ phase: 'joining', connection: 'connecting', error: undefined, notice: undefined, participants: [], waitlist: undefined });
    // The camera opens while the socket connects: neither waits for the other.
    this.openCamera();
    // Kept: a renewed token goes into it, and Socket.IO sends it on every reconnection.
    this.auth = { token, classId };
    this.signaling = this.deps.connect(server, this.auth, {
      status: (connection) => {
        mark(connection);
        if (this.s.phase === 'joining' || this.s.phase === 'joined' || this.s.phase === 'full') this.set({ connection });
      },
      failed: (err) => this.fail(err),
      reconnected: () => void this.enter(),
    });
    this.listen(this.signaling);
    // The device loads from capabilities fetched over HTTP while the socket still connects.
    this.preloadedMedia = this.deps.fetchCapabilities(server).then((caps) => (mark('capabilities'), caps && this.signaling ? this.deps.createMedia(this.signaling, caps) : undefined)).catch(() => undefined);
    await this.enter();
  }

  private openCamera(): void {
    this.localMedia = openLocalMedia(this.deps.getUserMedia, cameraConstraints(roleHint(this.options.token))).then(
      (stream) => {
        mark('local-media');
        if (this.s.cameraOff) for (const t of stream.getVideoTracks()) (stream.removeTrack(t), t.stop());
        this.set({ localStream: stream });
        return stream;
      },
      (err: FitError) => {
        this.set({ notice: err.toJSON() });
        this.emit('error', err.toJSON());
        return undefined;
      },
    );
  }

  private stopCamera(): void {
    this.s.localStream?.getTracks().forEach((t) => t.stop());
    void this.localMedia?.then((s) => s?.getTracks().forEach((t) => t.stop()));
    this.localMedia = undefined;
    this.s = { ...this.s, localStream: undefined };
  }

  /** Enters the class on the current connection: first join, and again after a reconnect. */
  private async enter(): Promise<void> {
    const signaling = this.signaling;
    if (!signaling) return;
    const gen = ++this.generation;
    this.resetMedia();
    this.joinedMedia = false;
    this.joinAnswered = false;
    this.announcedDuringJoin = [];
    this.heldDuringJoin = [];
    try {
      // First join: the device preloaded over HTTP; after a reconnect (or if that failed), ask.
      const preloaded = await this.preloadedMedia;
      this.preloadedMedia = undefined;
      const media = preloaded ?? (await this.deps.createMedia(signaling, (await signaling.request('room:capabilities', {})).routerRtpCapabilities));
      mark('device-loaded');
      if (gen !== this.generation) return;
      this.media = media;
      media.onIceHealth = (health) => this.onIceHealth(health, gen);
      const dtlsParameters = media.dtlsParameters;
      const joined: JoinResult = await signaling.request('room:join', {
        rtpCapabilities: media.rtpCapabilities as unknown as Record<string, unknown>,
        ...(this.options.level ? { level: this.options.level } : {}),
        ...(dtlsParameters ? { dtlsParameters } : {}),
      });
      mark('joined');
      if (gen !== this.generation) return;
      // Media first: the browser's SDP work for the offered tracks runs while the room renders
      // its joined view below (a long task on a slow device), not after it. Receive first, then
      // send: the coach's first frame should not queue behind our own encoder start-up.
      media.adopt(joined.transports, { iceServers: joined.iceServers, iceTransportPolicy: joined.iceTransportPolicy }, joined.transportsConnected === true);
      const receiving = media.acceptOffered(joined.consumers);
      this.fitness.attach(signaling, joined.classState);
      this.chat.attach(signaling, joined.self);
      this.chat.onClassState(joined.classState);
      this.reactions.attach(signaling);
      this.board.attach(signaling);
      this.files.attach(signaling, { server: this.options.server, classId: this.options.classId, token: this.options.token });
      // Chat history, the board, shared files and the clock sync are fetched once the offered
      // tracks are wired: their answers re-render the room, which would hold up the SDP work.
      const loadSocial = () => {
        if (gen !== this.generation) return;
        void this.fitness.syncClock().catch(() => undefined);
        void this.chat.loadLatest().catch((err: Error) => console.warn('[fitlive] chat history', err));
        void this.board.load().catch((err: Error) => console.warn('[fitlive] board', err));
        void this.files.load().catch((err: Error) => console.warn('[fitlive] shared files', err));
      };
      void receiving.then(loadSocial, loadSocial);
      // Back from the waitlist (the camera was released while waiting).
      if (!this.localMedia) this.openCamera();
      this.set({
        phase: 'joined',
        waitlist: undefined,
        self: joined.self,
        classTitle: joined.classTitle,
        participants: joined.participants.map((p) => newRemote(p)),
      });
      this.emit('joined', { participantId: joined.self.id, role: joined.self.role });
      // People who came or went while the join was on its way.
      const held = this.heldDuringJoin;
      this.heldDuringJoin = [];
      this.joinAnswered = true;
      for (const replay of held) replay();
      this.startQuality(media, signaling, gen);
      this.wireReceived(await receiving, gen);
      // Tracks announced while the join was on its way and not in its answer.
      const offered = new Set(joined.consumers.map((c) => c.producerId));
      const late = this.announcedDuringJoin.filter((p) => !offered.has(p.producerId));
      this.announcedDuringJoin = [];
      this.joinedMedia = true;
      void this.receive(late, gen);
      // The stream as it is now (the camera may have been turned off or on meanwhile).
      const local = (await this.localMedia) && this.s.localStream;
      if (gen !== this.generation) return;
      await Promise.all((local?.getTracks() ?? []).filter((t) => t.readyState === 'live').map((t) => media.publish(t, t.kind === 'video' ? 'camera' : 'mic')));
      // Camera turned off while it was being published (setCameraOff found no producer to close
      // yet): take it back, or everyone would receive a stopped camera as a black picture.
      if (gen === this.generation && this.s.cameraOff && media.isPublishing('camera')) await media.unpublish('camera');
      mark('published');
    } catch (err) {
      if (gen !== this.generation || this.s.phase === 'left' || this.s.phase === 'error') return;
      if (err instanceof FitError && err.code === ErrorCode.ClassFull) return this.toWaitlist(err);
      // The connection went while entering (a backend restarting): the reconnection enters again,
      // and the signaling client gives up by itself if the server stays away.
      if (err instanceof FitError && err.code === ErrorCode.ServerUnreachable && this.s.connection !== 'connected') return;
      this.fail(err instanceof FitError ? err : new FitError(ErrorCode.MediaError, (err as Error).message));
    }
  }

  /** The class is full: keep the connection for the waitlist, release camera and media. */
  private toWaitlist(err: FitError): void {
    // Someone who was in line (or whose held seat lapsed) goes back in line by themselves.
    const wasInLine = this.s.waitlist?.position !== undefined;
    this.resetMedia();
    this.stopCamera();
    this.set({ phase: 'full', participants: [], waitlist: { position: undefined } });
    this.emit('error', err.toJSON());
    if (wasInLine) void this.joinWaitlist().catch(() => undefined);
  }

  /** In a full class: wait in line for a seat. The room joins by itself when one is held. */
  async joinWaitlist(): Promise<void> {
    const signaling = this.signaling;
    if (this.s.phase !== 'full' || !signaling) return;
    const { position } = await signaling.request('waitlist:join', {});
    if (this.s.phase !== 'full') return;
    this.set({ waitlist: { position } });
    if (position === 0) await this.takeHeldSeat();
  }

  private async takeHeldSeat(): Promise<void> {
    if (this.s.phase !== 'full') return;
    this.set({ phase: 'joining', waitlist: { position: 0 } });
    await this.enter();
  }

  private listen(signaling: SignalingClient): void {
    signaling.onNotification('participant:joined', (p) => {
      // During a join the answer's list is not in yet: replay this after it.
      if (!this.joinAnswered) return void this.heldDuringJoin.push(() => this.participantJoined(p));
      this.participantJoined(p);
    });
    signaling.onNotification('participant:left', ({ participantId }) => {
      if (!this.joinAnswered) return void this.heldDuringJoin.push(() => this.participantLeft(participantId));
      this.participantLeft(participantId);
    });
    this.listenToMediaAndClass(signaling);
  }

  private participantJoined(p: ParticipantInfo): void {
    if (this.s.phase !== 'joined') return;
    // A known id is the same person back (reconnect, new tab): keep the tile and its stream.
    if (this.s.participants.some((x) => x.id === p.id)) this.updateParticipant(p.id, (x) => ({ ...x, ...p }));
    else this.set({ participants: [...this.s.participants, newRemote(p)] });
  }

  private participantLeft(participantId: string): void {
    const { [participantId]: _gone, ...reportedQuality } = this.s.reportedQuality;
    this.tileViews.delete(participantId);
    this.set({ participants: this.s.participants.filter((p) => p.id !== participantId), reportedQuality });
  }

  private listenToMediaAndClass(signaling: SignalingClient): void {
    signaling.onNotification('producer:added', (p) => {
      if (!this.joinedMedia) this.announcedDuringJoin.push(p);
      else if (this.s.phase === 'joined') void this.receive([p], this.generation);
    });
    signaling.onNotification('consumer:closed', ({ consumerId }) => this.dropConsumer(consumerId));
    signaling.onNotification('quality:changed', ({ participantId, report }) => {
      if (this.s.phase === 'joined') this.set({ reportedQuality: { ...this.s.reportedQuality, [participantId]: report } });
    });
    signaling.onNotification('class:members', ({ changes }) => this.fitness.onMembers(changes));
    signaling.onNotification('class:state', (state) => {
      this.chat.onClassState(state);
      this.fitness.onState(state);
    });
    signaling.onNotification('chat:message', (message) => {
      if (this.chat.onMessage(message)) this.emit('chat-message', message);
    });
    signaling.onNotification('chat:deleted', ({ seq }) => this.chat.onDeleted(seq));
    signaling.onNotification('reaction:burst', (burst) => {
      if (this.s.phase !== 'joined') return;
      this.reactions.onBurst(burst?.counts);
      this.emit('reaction', { counts: { ...burst?.counts } });
    });
    signaling.onNotification('board:item', (update) => {
      if (this.s.phase === 'joined') this.board.onItem(update);
    });
    signaling.onNotification('board:state', (state) => {
      if (this.s.phase === 'joined') this.board.onState(state);
    });
    signaling.onNotification('file:shared', (file) => {
      if (this.s.phase === 'joined') this.files.onShared(file);
    });
    signaling.onNotification('waitlist:position', ({ position }) => {
      if (this.s.phase === 'full') this.set({ waitlist: { position } });
    });
    signaling.onNotification('waitlist:promoted', () => void this.takeHeldSeat());
    // The server moved the class to another media worker: renegotiate without leaving.
    signaling.onNotification('media:speaking', ({ participantIds }) => this.set({ speaking: participantIds }));
    signaling.onNotification('media:lost', () => {
      if (this.s.phase !== 'joined') return;
      this.set({ notice: { code: 'media_moving', message: 'Reconnecting the video…' } });
      void this.enter().then(() => {
        if (this.s.notice?.code === 'media_moving') this.set({ notice: undefined });
      });
    });
    signaling.onNotification('rep:counted', ({ participantId, exerciseId, count, cameraCount }) => this.fitness.onRepCounted(participantId, exerciseId, count, cameraCount));
    signaling.onNotification('room:closed', ({ reason }) => {
      const messages: Record<string, string> = {
        replaced: 'You joined this class from another window.',
        removed: 'You were removed from the class, or your access expired.',
        ended: 'The class has ended.',
        media_failed: 'The class lost its media server. Rejoin to continue.',
      };
      this.teardown();
      this.set({ phase: 'left', connection: 'disconnected', notice: { code: `room_${reason}`, message: messages[reason] ?? 'The class closed.' } });
      this.emit('left', { reason });
    });
  }

  /** The media path broke: say so while ICE restarts; join again if it cannot recover. */
  private onIceHealth(health: 'ok' | 'restarting' | 'failed', gen: number): void {
    if (gen !== this.generation || this.s.phase !== 'joined') return;
    if (health === 'restarting' && !this.s.notice) this.set({ notice: { code: 'media_reconnecting', message: 'Reconnecting the video…' } });
    if (health === 'ok' && this.s.notice?.code === 'media_reconnecting') this.set({ notice: undefined });
    if (health === 'failed') {
      console.warn('[fitlive] the media connection did not recover; joining again');
      void this.enter().then(() => {
        if (this.s.notice?.code === 'media_reconnecting') this.set({ notice: undefined });
      });
    }
  }

  private async receive(producers: ProducerInfo[], gen: number): Promise<void> {
    const media = this.media;
    if (!media || producers.length === 0) return;
    this.wireReceived(await media.receive(producers.map((p) => p.producerId)), gen);
  }

  /** Puts received tracks on their owners' streams. */
  private wireReceived(results: Array<{ track: MediaStreamTrack; options: ConsumerOptions } | Error>, gen: number): void {
    if (gen !== this.generation) return;
    // A stuck local consume: join again (the answer carries every track, wired in one go), at
    // most a few times a minute so a persistent fault ends in a clear error instead of a loop.
    if (results.some((r) => r instanceof FitError && r.code === ErrorCode.MediaTimeout)) {
      const now = Date.now();
      this.recoveries = this.recoveries.filter((t) => now - t < 60_000);
      if (this.recoveries.length < 3) {
        this.recoveries.push(now);
        console.warn('[fitlive] a track did not arrive; joining again');
        void this.enter();
        return;
      }
    }
    results.forEach((r) => {
      if (r instanceof Error) {
        // One track failing (e.g. its owner just left) must not end the class for this member.
        if ((r as FitError).code !== ErrorCode.NotFound) console.warn('[fitlive] could not receive a track', r);
        return;
      }
      mark(`received-${r.track.kind}`);
      const owner = r.options.participantId;
      this.received.set(r.options.consumerId, { participantId: owner, track: r.track, source: r.options.source });
      const isScreen = r.options.source === 'screen' || r.options.source === 'screen-audio';
      const key = viewKey(r.options.source, r.track.kind);
      this.updateParticipant(owner, (p) => {
        const views = key ? { ...p.views, [key]: new MediaStream([r.track]) } : p.views;
        if (isScreen) {
          p.screen.addTrack(r.track);
          return { ...p, views, hasScreen: p.screen.getVideoTracks().length > 0 };
        }
        p.stream.addTrack(r.track);
        return { ...p, views, hasVideo: p.hasVideo || r.track.kind === 'video', hasAudio: p.hasAudio || r.track.kind === 'audio' };
      });
      if (r.options.source === 'camera' && r.track.kind === 'video') this.applyView(owner);
    });
  }

  private dropConsumer(consumerId: string): void {
    const entry = this.received.get(consumerId);
    this.received.delete(consumerId);
    this.media?.closeConsumer(consumerId);
    if (!entry) return;
    const key = viewKey(entry.source, entry.track.kind);
    this.updateParticipant(entry.participantId, (r) => {
      r.stream.removeTrack(entry.track);
      r.screen.removeTrack(entry.track);
      // Only the view that held this very track goes (a newer one may have replaced it).
      const views = key && r.views[key]?.getTracks()[0] === entry.track ? { ...r.views, [key]: undefined } : r.views;
      return { ...r, views, hasVideo: r.stream.getVideoTracks().length > 0, hasAudio: r.stream.getAudioTracks().length > 0, hasScreen: r.screen.getVideoTracks().length > 0 };
    });
  }

  private updateParticipant(id: string, fn: (p: RemoteParticipant) => RemoteParticipant): void {
    this.set({ participants: this.s.participants.map((p) => (p.id === id ? fn(p) : p)) });
  }

  /**
   * The coach shares a screen or a tab (with its sound where the browser offers it). Members see
   * it large with the coach's camera small. Stopping (here or in the browser's own bar) restores
   * the layout.
   */
  async startScreenShare(): Promise<void> {
    const media = this.media;
    if (this.s.phase !== 'joined' || this.s.self?.role !== 'coach' || !media || this.s.screenShare) return;
    if (!this.deps.getDisplayMedia) throw new FitError(ErrorCode.MediaDeviceUnavailable, 'This browser cannot share a screen');
    let stream: MediaStream;
    try {
      stream = await this.deps.getDisplayMedia({ video: { frameRate: { ideal: 15, max: 30 } }, audio: true });
    } catch (err) {
      const name = (err as DOMException).name;
      if (name === 'NotAllowedError' || name === 'AbortError') return; // the coach changed their mind
      throw new FitError(ErrorCode.MediaDeviceUnavailable, `The screen could not be shared: ${(err as Error).message}`);
    }
    this.set({ screenShare: stream });
    stream.getVideoTracks()[0]?.addEventListener('ended', () => void this.stopScreenShare());
    try {
      await Promise.all(stream.getTracks().map((t) => media.publish(t, t.kind === 'video' ? 'screen' : 'screen-audio')));
    } catch (err) {
      await this.stopScreenShare();
      throw err instanceof FitError ? err : new FitError(ErrorCode.MediaError, (err as Error).message);
    }
  }

  async stopScreenShare(): Promise<void> {
    const stream = this.s.screenShare;
    if (!stream) return;
    this.set({ screenShare: undefined });
    stream.getTracks().forEach((t) => t.stop());
    await Promise.all([this.media?.unpublish('screen'), this.media?.unpublish('screen-audio')]).catch((err) => console.warn('[fitlive] stopping the screen share', err));
  }

  async leave(): Promise<void> {
    if (this.s.phase !== 'joining' && this.s.phase !== 'joined' && this.s.phase !== 'full') return;
    const signaling = this.signaling;
    this.generation++;
    const goodbye = this.s.phase === 'full' ? signaling?.request('waitlist:leave', {}) : signaling?.request('room:leave', {});
    await Promise.race([goodbye?.catch(() => undefined), new Promise((r) => setTimeout(r, 1000))]);
    this.teardown();
    this.set({ phase: 'left', connection: 'disconnected', participants: [], self: undefined, waitlist: undefined });
    this.emit('left', { reason: 'left' });
  }

  private fail(err: FitError): void {
    this.teardown();
    this.set({ phase: 'error', connection: 'disconnected', error: err.toJSON() });
    this.emit('error', err.toJSON());
  }

  private resetMedia(): void {
    this.monitor?.stop();
    this.monitor = undefined;
    this.media?.close();
    this.media = undefined;
    this.received.clear();
    this.sentViews.clear();
  }

  private teardown(): void {
    this.generation++;
    // The last class state stays readable (the end screen shows it); intents stop.
    this.fitness.attach(undefined, this.fitness.state);
    this.chat.attach(undefined, undefined);
    this.reactions.dispose();
    this.board.attach(undefined);
    this.files.attach(undefined);
    this.resetMedia();
    this.signaling?.close();
    this.signaling = undefined;
    this.stopCamera();
  }

  private readonly sentViews = new Map<string, string>();

  /** How many remote tracks are wired now (views are re-sent when it changes). */
  get receivedCount(): number {
    return this.received.size;
  }

  /** The tile size and visibility the element last reported, per participant. */
  private readonly tileViews = new Map<string, { visible: boolean; layer: number }>();
  private monitor: QualityMonitor | undefined;

  /** The quality monitor of the current media (tests feed it samples). */
  get qualityMonitor(): QualityMonitor | undefined {
    return this.monitor;
  }

  /**
   * Tells the server how a participant's video is shown: hidden tiles are paused, and the
   * simulcast layer follows the rendered height (a 40-member grid pulls 40 low layers), within
   * what the link allows; audio only (chosen or forced) pauses every camera.
   */
  setVideoView(participantId: string, view: { visible: boolean; height: number }): void {
    this.tileViews.set(participantId, { visible: view.visible, layer: layerForHeight(view.height) });
    this.applyView(participantId);
  }

  private applyView(participantId: string): void {
    // The camera's tile: a shared screen is one full layer, shown large while it lasts.
    const entry = [...this.received.entries()].find(([, r]) => r.participantId === participantId && r.source === 'camera' && r.track.kind === 'video');
    if (!entry || !this.signaling) return;
    const tile = this.tileViews.get(participantId);
    const audioOnly = this.s.audioOnly.chosen || this.s.audioOnly.forced;
    // No tile reported yet: nothing to say, unless video is off altogether.
    if (!tile && !audioOnly) return;
    const [consumerId] = entry;
    const { visible, spatialLayer } = effectiveView(tile ?? { visible: false, layer: 0 }, { cap: this.s.layerCap, audioOnly: this.s.audioOnly.forced }, this.s.audioOnly.chosen);
    const key = `${visible}:${spatialLayer}`;
    if (this.sentViews.get(consumerId) === key) return;
    this.sentViews.set(consumerId, key);
    this.signaling.request('consumer:set-view', { consumerId, visible, spatialLayer }).catch(() => this.sentViews.delete(consumerId));
  }

  private applyAllViews(): void {
    for (const id of new Set([...this.received.values()].map((r) => r.participantId))) this.applyView(id);
  }

  /** Polls getStats every couple of seconds: tiles' quality, adaptation, and reports to the server. */
  private startQuality(media: MediaSession, signaling: SignalingClient, gen: number): void {
    this.monitor?.stop();
    const monitor = new QualityMonitor({
      stats: () => media.getStats(),
      owners: () => new Map<string, TrackOwner>([...this.received.values()].map((r) => [r.track.id, { participantId: r.participantId, kind: r.track.kind as 'audio' | 'video', source: r.source }])),
      chosenAudioOnly: () => this.s.audioOnly.chosen,
      onSample: (snapshot, changed) => this.onQuality(snapshot, changed, gen),
      report: (report) => {
        if (gen !== this.generation || this.s.phase !== 'joined') return;
        signaling.request('quality:report', report).catch(() => undefined);
        this.emit('quality', report);
      },
    });
    this.monitor = monitor;
    monitor.start();
  }

  private onQuality(snapshot: QualitySnapshot, changed: boolean, gen: number): void {
    if (gen !== this.generation || this.s.phase !== 'joined') return;
    const forced = snapshot.adapt.audioOnly;
    this.set({ quality: snapshot.participants, selfQuality: snapshot.self, layerCap: snapshot.adapt.cap, audioOnly: { ...this.s.audioOnly, forced } });
    if (changed) this.applyAllViews();
  }

  /** Receive audio only (sticky until turned off): every camera is paused on the server. */
  setAudioOnly(on: boolean): void {
    if (this.s.audioOnly.chosen === on) return;
    this.set({ audioOnly: { ...this.s.audioOnly, chosen: on } });
    this.applyAllViews();
  }

  /**
   * Camera off: stops publishing the camera and stops the track (the light goes off); others see
   * the avatar. Camera on: opens the camera again and publishes it.
   */
  async setCameraOff(off: boolean): Promise<void> {
    if (this.s.cameraOff === off) return;
    this.set({ cameraOff: off });
    const stream = this.s.localStream ?? (await this.localMedia);
    if (off) {
      for (const t of stream?.getVideoTracks() ?? []) {
        stream!.removeTrack(t);
        t.stop();
      }
      this.set({ localStream: stream ? new MediaStream(stream.getTracks()) : undefined });
      this.keepLocal(stream);
      await this.media?.unpublish('camera');
      return;
    }
    let track: MediaStreamTrack | undefined;
    try {
      if (!this.deps.getUserMedia) throw new FitError(ErrorCode.MediaDeviceUnavailable, 'This browser cannot open a camera');
      track = (await this.deps.getUserMedia({ video: cameraConstraints(this.s.self?.role ?? roleHint(this.options.token)) })).getVideoTracks()[0];
      if (!track) throw new FitError(ErrorCode.MediaDeviceUnavailable, 'No camera was found');
    } catch (err) {
      this.set({ cameraOff: true });
      throw err instanceof FitError ? err : new FitError(ErrorCode.MediaDeviceUnavailable, `The camera could not be opened: ${(err as Error).message}`);
    }
    // Turned off again while the camera opened, or the room went away.
    if (this.s.cameraOff || (this.s.phase !== 'joined' && this.s.phase !== 'joining')) return void track.stop();
    const next = new MediaStream([...(stream?.getTracks() ?? []), track]);
    this.keepLocal(next);
    this.set({ localStream: next });
    if (this.media && this.joinedMedia && !this.media.isPublishing('camera')) await this.media.publish(track, 'camera');
  }

  /** The local stream a (re)join publishes from follows camera on/off. */
  private keepLocal(stream: MediaStream | undefined): void {
    if (stream) this.localMedia = Promise.resolve(stream);
  }

  /** The class summary from the REST API: everyone for a coach, oneself for a member. */
  async fetchSummary(): Promise<ClassSummary> {
    const res = await fetch(new URL(`/api/v1/classes/${encodeURIComponent(this.options.classId)}/summary`, this.options.server), {
      headers: { authorization: `Bearer ${this.options.token}` },
      credentials: 'omit',
    });
    const body = (await res.json()) as ClassSummary | { error: ErrorBody };
    if ('error' in body) throw new FitError(body.error.code, body.error.message);
    return body;
  }

  /** Releases everything without notifying (element removed from the page). */
  dispose(): void {
    if (this.s.phase === 'joined' || this.s.phase === 'joining' || this.s.phase === 'full') void this.leave();
    else this.teardown();
  }
}
