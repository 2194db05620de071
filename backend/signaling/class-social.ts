import { RateLimiterMemory } from 'rate-limiter-flexible';
import { ErrorCode } from '../../protocol/error-codes.js';
import type { NotificationName, NotificationPayload } from '../../protocol/signaling.js';
import type { BoardState, ChatMessage, ChatRole, Reaction } from '../../protocol/social.js';
import { cleanChatText, maskBlockedWords } from '../classes/chat-rules.js';
import { ReactionBatcher } from '../classes/reactions.js';
import { Whiteboard } from '../classes/whiteboard.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ClassRecord, Repositories } from '../store/repositories.js';

/** Sends a notification to everyone in one class. */
export type ClassEmitter = <N extends NotificationName>(name: N, payload: NotificationPayload<N>) => void;

const REACTION_FLUSH_MS = 250;
const BOARD_SAVE_MS = 1000;

/**
 * The I/O side of a class's chat, reactions and board: sequence numbers and the store for chat,
 * the flush timer for reactions, debounced saving for the board. The decisions (who may, what is
 * allowed) are in backend/classes/.
 */
export class ClassSocial {
  readonly reactions = new ReactionBatcher();
  /** Five messages, then one a second: enough to talk, not enough to flood a class of a thousand. */
  private readonly chatLimiter = new RateLimiterMemory({ points: 5, duration: 5 });
  private lastSeq: number;
  /** Chat writes of this class, one after another: messages are stored and sent in `seq` order. */
  private chatQueue: Promise<unknown> = Promise.resolve();
  /** Each sender's latest acknowledged messages by clientId: a retry is answered without a write or a rate charge. */
  private readonly recent = new Map<string, Map<string, ChatMessage>>();
  private reactionTimer: NodeJS.Timeout | undefined;
  private boardTimer: NodeJS.Timeout | undefined;
  private boardSaving: Promise<void> = Promise.resolve();

  private constructor(
    private readonly record: ClassRecord,
    private readonly repos: Repositories,
    private readonly logger: Logger,
    private readonly emit: ClassEmitter,
    readonly board: Whiteboard,
    lastSeq: number,
    public blockedWords: string[],
  ) {
    this.lastSeq = lastSeq;
  }

  static async load(record: ClassRecord, repos: Repositories, logger: Logger, emit: ClassEmitter): Promise<ClassSocial> {
    const [board, lastSeq, words] = await Promise.all([repos.boards.get(record.id), repos.chat.lastSeq(record.id), repos.clubs.chatBlockedWords(record.clubId)]);
    return new ClassSocial(record, repos, logger, emit, new Whiteboard(board), lastSeq, words);
  }

  /**
   * One chat message, from a member, the coach or a broadcast viewer: a retry (same sender and
   * `clientId`) gets the stored message back at once; otherwise the rate limit, `mayWrite` (mutes),
   * the text cleaned and filtered, then stored under the next `seq` and sent (never acknowledged
   * before it is stored).
   */
  async post(
    sender: { key: string; displayName: string; role: ChatRole; dbId: () => number | Promise<number> },
    text: string,
    clientId: string,
    mayWrite: () => void | Promise<void>,
  ): Promise<{ message: ChatMessage; duplicate: boolean }> {
    const known = this.acknowledged(sender.key, clientId);
    if (known) return { message: known, duplicate: true };
    // The rate limit first: a flood costs no store reads.
    await this.checkChatRate(sender.key);
    await mayWrite();
    const clean = maskBlockedWords(cleanChatText(text), this.blockedWords);
    if (!clean) throw new AppError(ErrorCode.BadRequest, 'The message is empty');
    return this.send({ participantDbId: await sender.dbId(), senderKey: sender.key, displayName: sender.displayName, role: sender.role, text: clean, clientId });
  }

  /** A message this sender already had acknowledged under `clientId` (recently, on this node). */
  private acknowledged(senderKey: string, clientId: string): ChatMessage | undefined {
    return this.recent.get(senderKey)?.get(clientId);
  }

  private remember(m: ChatMessage, clientId: string): void {
    let mine = this.recent.get(m.participantId);
    if (!mine) this.recent.set(m.participantId, (mine = new Map()));
    mine.set(clientId, m);
    if (mine.size > 50) mine.delete(mine.keys().next().value!);
  }

  /** Throws `rate_limited` when this participant writes too fast. */
  private async checkChatRate(participantId: string): Promise<void> {
    await this.chatLimiter.consume(participantId).catch((res: { msBeforeNext?: number }) => {
      const s = Math.max(1, Math.ceil((res?.msBeforeNext ?? 1000) / 1000));
      throw new AppError(ErrorCode.RateLimited, `You are sending messages too fast: wait ${s} s`, 429);
    });
  }

  /**
   * Stores a message under the next sequence number and, once stored, sends it to the class.
   * A retry (same sender and `clientId`) gets the stored message back and sends nothing.
   */
  private send(m: { participantDbId: number; senderKey: string; displayName: string; role: ChatRole; text: string; clientId: string }): Promise<{ message: ChatMessage; duplicate: boolean }> {
    const write = this.chatQueue.then(async () => {
      const seq = this.lastSeq + 1;
      const result = await this.repos.chat.add({ ...m, classId: this.record.id, seq, sentAt: Date.now() });
      if (!result.duplicate) {
        this.lastSeq = seq;
        this.emit('chat:message', { ...result.message, clientId: m.clientId });
      }
      this.remember(result.message, m.clientId);
      return result;
    });
    this.chatQueue = write.catch(() => undefined);
    return write;
  }

  /** Counts a reaction; the class gets the sums a few times a second. */
  react(participantId: string, emoji: Reaction): void {
    this.reactions.add(participantId, emoji, Date.now());
    this.reactionTimer ??= setTimeout(() => {
      this.reactionTimer = undefined;
      const counts = this.reactions.flush();
      if (counts) this.emit('reaction:burst', { counts });
    }, REACTION_FLUSH_MS);
  }

  /** Saves the board a moment after the last change (a stroke a second must not be a write a second). */
  boardChanged(): void {
    if (this.boardTimer) clearTimeout(this.boardTimer);
    this.boardTimer = setTimeout(() => void this.saveBoard(), BOARD_SAVE_MS);
  }

  /** Writes the board now (a class closing); settles when stored. */
  saveBoard(): Promise<void> {
    if (this.boardTimer) clearTimeout(this.boardTimer);
    this.boardTimer = undefined;
    const state: BoardState = this.board.state();
    this.boardSaving = this.boardSaving
      .then(() => this.repos.boards.save(this.record.id, state))
      .catch((err: Error) => this.logger.error({ classId: this.record.id, err: err.message }, 'board save failed'));
    return this.boardSaving;
  }

  close(): Promise<void> {
    if (this.reactionTimer) clearTimeout(this.reactionTimer);
    this.reactionTimer = undefined;
    return this.boardTimer ? this.saveBoard() : this.boardSaving;
  }
}
