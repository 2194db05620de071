import { ErrorCode } from '../../protocol/error-codes.js';
import type { ErrorBody } from '../../protocol/errors.js';
import type { ClassStateView } from '../../protocol/class-state.js';
import type { ParticipantInfo } from '../../protocol/participants.js';
import type { ChatMessage } from '../../protocol/social.js';
import { CHAT_MAX_LENGTH } from '../../protocol/social-constants.js';
import type { RequestPayload, ResponseMap } from '../../protocol/signaling.js';
import { FitError } from './fit-error.js';

export { linkify, type Segment } from './linkify.js';

type ChatRequest = 'chat:send' | 'chat:history' | 'chat:delete' | 'chat:mute' | 'chat:report';

/** Where the chat's requests go: a class seat's signaling, or a broadcast viewer's chat socket. */
export interface ChatChannel {
  request<N extends ChatRequest>(name: N, payload: RequestPayload<N>): Promise<ResponseMap[N]>;
}

/** A message this client sent that the server has not stored yet (or refused). */
export interface PendingMessage {
  /** Made once per message and reused by every retry: the server stores it once. */
  clientId: string;
  text: string;
  status: 'sending' | 'failed';
  error?: ErrorBody | undefined;
}

export interface ChatState {
  /** Stored messages, ascending by `seq`, each once. */
  messages: readonly ChatMessage[];
  /** This client's sends on their way, or refused (retry or discard). */
  pending: readonly PendingMessage[];
  /** The server has older messages than the first one here. */
  hasMore: boolean;
  /** The first page has arrived. */
  loaded: boolean;
  loadingOlder: boolean;
  /** The coach (or a moderator) muted this participant's chat: read only. */
  muted: boolean;
  /** The last problem worth telling the user about (too fast, muted, too long). */
  notice: ErrorBody | undefined;
  /** Messages from others that arrived while the panel was hidden. */
  unread: number;
}

export interface ChatOptions {
  /** Retries of a send that got no answer (the connection dropped), with the same clientId. */
  retries?: number;
  retryDelayMs?: number;
  newId?: () => string;
}

const RETRIABLE: readonly string[] = [ErrorCode.ServerUnreachable, ErrorCode.NotJoined];

/** Clear words for the errors a sender can meet (the server's message is the fallback). */
export function chatErrorMessage(err: ErrorBody): string {
  switch (err.code) {
    case ErrorCode.RateLimited:
      return 'You are sending messages too fast. Wait a moment, then try again.';
    case ErrorCode.ChatMuted:
      return 'The coach has muted your chat. You can still read along.';
    case ErrorCode.BadRequest:
      return `Messages can be 1 to ${CHAT_MAX_LENGTH} characters.`;
    case ErrorCode.ServerUnreachable:
    case ErrorCode.NotJoined:
      return 'Not sent: the connection dropped.';
    default:
      return err.message;
  }
}

/**
 * The class chat, DOM-free: messages in the server's order (`seq`), each once however it
 * arrived (live, in a history page, as the answer to our own send); deletions; older pages on
 * demand; our own sends with a clientId each, retried safely; errors in plain words.
 */
export class ChatModel {
  private s: ChatState = { messages: [], pending: [], hasMore: false, loaded: false, loadingOlder: false, muted: false, notice: undefined, unread: 0 };
  private channel: ChatChannel | undefined;
  private selfId: string | undefined;
  private visible = true;
  /** Deleted seqs: a history page answered before the deletion must not bring one back. */
  private readonly deleted = new Set<number>();
  private readonly reported = new Set<number>();
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private readonly newId: () => string;

  constructor(
    private readonly changed: () => void,
    options: ChatOptions = {},
  ) {
    this.retries = options.retries ?? 4;
    this.retryDelayMs = options.retryDelayMs ?? 500;
    this.newId = options.newId ?? (() => crypto.randomUUID());
  }

  get state(): ChatState {
    return this.s;
  }

  private set(patch: Partial<ChatState>): void {
    this.s = { ...this.s, ...patch };
    this.changed();
  }

  /** Connects to a joined seat (and again after each re-join); `undefined` detaches. */
  attach(channel: ChatChannel | undefined, self: Pick<ParticipantInfo, 'id'> | undefined): void {
    this.channel = channel;
    this.selfId = self?.id ?? this.selfId;
    this.changed();
  }

  /** Whether the panel is on screen: hidden, messages from others count as unread. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible && this.s.unread) this.set({ unread: 0 });
  }

  /** Follows the class state: a chat mute on this participant. */
  onClassState(state: Pick<ClassStateView, 'chatMuted'> | undefined): void {
    this.setSelfMuted(!!this.selfId && !!state?.chatMuted?.includes(this.selfId));
  }

  /** Whether the coach has muted this reader (a viewer is told directly, a member through the class state). */
  setSelfMuted(muted: boolean): void {
    if (muted === this.s.muted) return;
    const notice = muted ? { code: ErrorCode.ChatMuted, message: chatErrorMessage({ code: ErrorCode.ChatMuted, message: '' }) } : this.s.notice?.code === ErrorCode.ChatMuted ? undefined : this.s.notice;
    this.set({ muted, notice });
  }

  /** A `chat:message` notification. Returns true when the message is new here. */
  onMessage(message: ChatMessage): boolean {
    const isNew = this.insert([message]);
    if (!isNew) return false;
    // Our own message seen live: its send is done (the answer may come a moment later). The
    // message carries no clientId, so the first send of the same text on its way is the one.
    const mine = message.participantId === this.selfId;
    const i = mine ? this.s.pending.findIndex((p) => p.status === 'sending' && p.text === message.text) : -1;
    const pending = i < 0 ? this.s.pending : [...this.s.pending.slice(0, i), ...this.s.pending.slice(i + 1)];
    const unread = !mine && !this.visible ? this.s.unread + 1 : this.s.unread;
    if (i >= 0 || unread !== this.s.unread) this.set({ pending, unread });
    return true;
  }

  /** A `chat:deleted` notification. */
  onDeleted(seq: number): void {
    this.deleted.add(seq);
    if (this.s.messages.some((m) => m.seq === seq)) this.set({ messages: this.s.messages.filter((m) => m.seq !== seq) });
  }

  /**
   * The newest page: after joining and after every re-join. Merged with what is here; if the
   * page does not reach back to what we have (a long drop), the gap is dropped and paging resumes.
   */
  async loadLatest(): Promise<void> {
    const { messages, hasMore } = await this.call('chat:history', {});
    const pageOldest = messages[0]?.seq;
    const newestHere = this.s.messages.at(-1)?.seq;
    if (pageOldest !== undefined && newestHere !== undefined && hasMore && pageOldest > newestHere + 1) {
      this.s = { ...this.s, messages: this.s.messages.filter((m) => m.seq >= pageOldest) };
      this.insert(messages);
      this.set({ hasMore: true, loaded: true });
      return;
    }
    const oldestHere = this.s.messages[0]?.seq;
    const reachesFurther = oldestHere !== undefined && (pageOldest === undefined || oldestHere < pageOldest);
    this.insert(messages);
    this.set({ hasMore: reachesFurther ? this.s.hasMore : hasMore, loaded: true });
  }

  /** The page before the oldest message here (the user scrolled to the top). */
  async loadOlder(): Promise<void> {
    if (!this.s.hasMore || this.s.loadingOlder || !this.channel) return;
    const beforeSeq = this.s.messages[0]?.seq;
    this.set({ loadingOlder: true });
    try {
      const { messages, hasMore } = await this.call('chat:history', beforeSeq ? { beforeSeq } : {});
      this.insert(messages);
      this.set({ hasMore, loadingOlder: false });
    } catch (err) {
      this.set({ loadingOlder: false });
      throw err;
    }
  }

  /**
   * Sends a message. Resolves with the stored message, or undefined when it was refused or could
   * not be delivered (it then stays in `pending` as failed, with the reason, for `retry`).
   */
  async send(text: string): Promise<ChatMessage | undefined> {
    const trimmed = text.trim();
    if (!trimmed) return undefined;
    if (trimmed.length > CHAT_MAX_LENGTH) {
      this.set({ notice: { code: ErrorCode.BadRequest, message: chatErrorMessage({ code: ErrorCode.BadRequest, message: '' }) } });
      return undefined;
    }
    if (this.s.muted) {
      this.set({ notice: { code: ErrorCode.ChatMuted, message: chatErrorMessage({ code: ErrorCode.ChatMuted, message: '' }) } });
      return undefined;
    }
    const pending: PendingMessage = { clientId: this.newId(), text: trimmed, status: 'sending' };
    this.set({ pending: [...this.s.pending, pending], notice: this.s.notice?.code === ErrorCode.ChatMuted ? this.s.notice : undefined });
    return this.deliver(pending.clientId, trimmed);
  }

  /** Sends a failed message again, with the same clientId (never stored twice). */
  async retry(clientId: string): Promise<ChatMessage | undefined> {
    const p = this.s.pending.find((x) => x.clientId === clientId);
    if (!p || p.status === 'sending') return undefined;
    this.updatePending(clientId, { status: 'sending', error: undefined });
    this.set({ notice: undefined });
    return this.deliver(clientId, p.text);
  }

  /** Forgets a failed message. */
  discard(clientId: string): void {
    this.set({ pending: this.s.pending.filter((p) => p.clientId !== clientId) });
  }

  private async deliver(clientId: string, text: string): Promise<ChatMessage | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { message } = await this.call('chat:send', { text, clientId });
        this.insert([message]);
        this.set({ pending: this.s.pending.filter((p) => p.clientId !== clientId) });
        return message;
      } catch (err) {
        const e = toErrorBody(err);
        // Seen live meanwhile: it was stored, only the answer was lost.
        if (!this.s.pending.some((p) => p.clientId === clientId)) return undefined;
        if (RETRIABLE.includes(e.code) && attempt < this.retries) {
          await new Promise((r) => setTimeout(r, this.retryDelayMs * attempt));
          continue;
        }
        const error = { code: e.code, message: chatErrorMessage(e) };
        if (e.code === ErrorCode.ChatMuted) {
          // Read only now: the text is not lost, it stays as a failed message.
          this.s = { ...this.s, muted: true };
        }
        this.updatePending(clientId, { status: 'failed', error });
        this.set({ notice: error });
        return undefined;
      }
    }
  }

  private updatePending(clientId: string, patch: Partial<PendingMessage>): void {
    this.set({ pending: this.s.pending.map((p) => (p.clientId === clientId ? { ...p, ...patch } : p)) });
  }

  /** Clears the notice (the user dismissed it or typed again). */
  clearNotice(): void {
    if (this.s.notice && !(this.s.muted && this.s.notice.code === ErrorCode.ChatMuted)) this.set({ notice: undefined });
  }

  // Moderation. Each resolves when the server has applied it; notifications carry the effect.

  deleteMessage = (seq: number) => this.call('chat:delete', { seq });
  setMuted = (participantId: string, muted: boolean) => this.call('chat:mute', { participantId, muted });

  /** Flags a message for the club (once per message from this client). */
  async report(seq: number, reason?: string): Promise<void> {
    await this.call('chat:report', reason ? { seq, reason } : { seq });
    this.reported.add(seq);
    this.changed();
  }

  isReported(seq: number): boolean {
    return this.reported.has(seq);
  }

  /** Inserts in seq order, once each; returns whether anything was added. */
  private insert(incoming: readonly ChatMessage[]): boolean {
    let list = this.s.messages as ChatMessage[];
    let added = false;
    for (const m of incoming) {
      if (!m || typeof m.seq !== 'number' || this.deleted.has(m.seq)) continue;
      const i = lowerBound(list, m.seq);
      if (list[i]?.seq === m.seq) continue;
      if (!added) list = [...list];
      list.splice(i, 0, m);
      added = true;
    }
    if (added) this.s = { ...this.s, messages: list };
    if (added) this.changed();
    return added;
  }

  private call: ChatChannel['request'] = (name, payload) => {
    if (!this.channel) return Promise.reject(new FitError(ErrorCode.NotJoined, 'Join the class first'));
    return this.channel.request(name, payload);
  };
}

function lowerBound(list: readonly ChatMessage[], seq: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function toErrorBody(err: unknown): ErrorBody {
  const e = err as { code?: unknown; message?: unknown };
  return { code: typeof e?.code === 'string' ? e.code : ErrorCode.Internal, message: typeof e?.message === 'string' ? e.message : 'Not sent' };
}
