import { z } from 'zod';
import { BOARD_MAX_POINTS, CHAT_MAX_LENGTH, REACTIONS, SHARED_FILE_TYPES } from './social-constants.js';

/*
 * The social side of a class: chat, hands, reactions, the waitlist, the whiteboard and shared
 * files. Wire schemas here; the rules are in backend/classes/ (pure) and enforced by the server.
 */

export { BOARD_ASPECT, BOARD_MAX_ITEMS, BOARD_MAX_POINTS, CHAT_MAX_LENGTH, CHAT_PAGE_SIZE, REACTIONS, SHARED_FILE_MAX_BYTES, SHARED_FILE_TYPES, type Reaction } from './social-constants.js';

const id = z.string().min(1).max(128);
const seq = z.number().int().min(1);

/** Who wrote a message: the class's coach or a member, or a viewer of its broadcast. */
export const chatRoleSchema = z.enum(['coach', 'member', 'viewer']);
export type ChatRole = z.infer<typeof chatRoleSchema>;

/** A chat message as everyone in the class sees it. `seq` is the server's order: 1, 2, 3… per class. */
export interface ChatMessage {
  seq: number;
  participantId: string;
  displayName: string;
  role: ChatRole;
  /** Plain text (never HTML); words on the club's filter list are masked. */
  text: string;
  /** Server clock, ms since epoch. */
  sentAt: number;
  /** The sender's id for this message (on live delivery), so the sender can match it to its send. */
  clientId?: string;
}

const fraction = z.number().min(0).max(1);
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a #rrggbb colour');
const itemId = z.string().min(1).max(64);

/** One thing drawn on the board. Positions are fractions of the board; sizes are in 1/1000 of its width. */
export const boardItemSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('stroke'),
    id: itemId,
    color,
    width: z.number().min(1).max(40),
    points: z.array(z.tuple([fraction, fraction])).min(1).max(BOARD_MAX_POINTS),
  }).strict(),
  z.object({
    kind: z.literal('text'),
    id: itemId,
    color,
    size: z.number().min(10).max(200),
    x: fraction,
    y: fraction,
    text: z.string().trim().min(1).max(200),
  }).strict(),
]);
export type BoardItem = z.infer<typeof boardItemSchema>;

export interface BoardState {
  items: BoardItem[];
  /** Goes up on every change, so a client can tell a stale board from a fresh one. */
  version: number;
}

export const sharedFileTypeSchema = z.enum(SHARED_FILE_TYPES);

/** A file the coach shared with the class; `url` is signed and stops working at `expiresAt`. */
export interface SharedFile {
  id: string;
  name: string;
  contentType: z.infer<typeof sharedFileTypeSchema>;
  size: number;
  url: string;
  expiresAt: number;
  sharedAt: number;
}

export const socialRequestSchemas = {
  /** `clientId` is unique per message: a retried send returns the stored message, never a second one. */
  'chat:send': z.object({ text: z.string().trim().min(1).max(CHAT_MAX_LENGTH), clientId: z.string().min(8).max(64) }).strict(),
  /** The newest page, or the page before `beforeSeq` (scrolling up). */
  'chat:history': z.object({ beforeSeq: seq.optional() }).strict(),
  /** The coach or a moderator: gone for everyone, and from history. */
  'chat:delete': z.object({ seq }).strict(),
  /** The coach or a moderator: a muted member can read but not write. */
  'chat:mute': z.object({ participantId: id, muted: z.boolean() }).strict(),
  /** Anyone: flags a message for the club. */
  'chat:report': z.object({ seq, reason: z.string().trim().max(200).optional() }).strict(),
  'hand:raise': z.object({}).strict(),
  /** Self, or (the coach) anyone. */
  'hand:lower': z.object({ participantId: id.optional() }).strict(),
  /** The coach calls on a raised hand: it is lowered and the member spotlighted. */
  'hand:call': z.object({ participantId: id }).strict(),
  'reaction:send': z.object({ emoji: z.enum(REACTIONS) }).strict(),
  /** The class is full: wait for a seat (the connection is told when one is held for it). */
  'waitlist:join': z.object({}).strict(),
  'waitlist:leave': z.object({}).strict(),
  'board:get': z.object({}).strict(),
  'board:draw': z.object({ item: boardItemSchema }).strict(),
  'board:undo': z.object({}).strict(),
  'board:clear': z.object({}).strict(),
  /** The files shared in this class, with fresh links. */
  'files:list': z.object({}).strict(),
} as const;

export interface SocialResponseMap {
  'chat:send': { message: ChatMessage; duplicate: boolean };
  'chat:history': { messages: ChatMessage[]; hasMore: boolean };
  'chat:delete': Record<string, never>;
  'chat:mute': Record<string, never>;
  'chat:report': Record<string, never>;
  'hand:raise': Record<string, never>;
  'hand:lower': Record<string, never>;
  'hand:call': Record<string, never>;
  'reaction:send': Record<string, never>;
  'waitlist:join': { position: number; seats: { capacity: number; taken: number; waiting: number } };
  'waitlist:leave': Record<string, never>;
  'board:get': { board: BoardState };
  'board:draw': { version: number };
  'board:undo': { version: number };
  'board:clear': { version: number };
  'files:list': { files: SharedFile[] };
}

export const socialNotificationSchemas = {
  'chat:message': z.custom<ChatMessage>(),
  'chat:deleted': z.object({ seq: z.number() }),
  /** Reactions of the last fraction of a second, summed per emoji (one message for a big class). */
  'reaction:burst': z.custom<{ counts: Partial<Record<(typeof REACTIONS)[number], number>> }>(),
  /** Waiting for a seat: your place in the line (1 = next). */
  'waitlist:position': z.object({ position: z.number() }),
  /** A seat is held for you for `holdSeconds`: join now. */
  'waitlist:promoted': z.object({ holdSeconds: z.number() }),
  /** One item added to the board. */
  'board:item': z.custom<{ item: BoardItem; version: number }>(),
  /** The board changed otherwise (undo, clear): the whole board. */
  'board:state': z.custom<BoardState>(),
  'file:shared': z.custom<SharedFile>(),
} as const;
