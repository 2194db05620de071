import { ErrorCode } from '../../protocol/error-codes.js';
import type { ErrorBody } from '../../protocol/errors.js';
import type { BoardItem, BoardState } from '../../protocol/social.js';
import { BOARD_ASPECT, BOARD_MAX_ITEMS, BOARD_MAX_POINTS } from '../../protocol/social-constants.js';
import type { ClassChannel } from './class-model.js';
import { FitError } from './fit-error.js';

export type BoardPoint = [number, number];
export type StrokeItem = Extract<BoardItem, { kind: 'stroke' }>;
export type TextItem = Extract<BoardItem, { kind: 'text' }>;

export interface BoardViewState {
  /** What to draw, in order: the server's items, then this client's draws on their way. */
  items: readonly BoardItem[];
  /** The last version the server confirmed (0 before the first load). */
  version: number;
  /** The first `board:get` has answered. */
  loaded: boolean;
  /** The board changed while it was not on screen (a member's indicator). */
  unseen: boolean;
  /** Draws, undos or clears waiting for the server. */
  busy: boolean;
  /** The last refusal worth showing (board full, not the coach, connection lost). */
  notice: BoardNotice | undefined;
}

/**
 * A refusal: the code, the server's message, and for the problems the element words itself a
 * stable `problem` (`board.error.<problem>`; `max` for a full board).
 */
export interface BoardNotice extends ErrorBody {
  problem?: 'full' | 'dropped' | 'forbidden' | undefined;
  max?: number | undefined;
}

export interface BoardOptions {
  newId?: () => string;
  /** Retries of a draw that got no answer (same item id: the server replaces, never duplicates). */
  retries?: number;
  retryDelayMs?: number;
}

const RETRIABLE: readonly string[] = [ErrorCode.ServerUnreachable, ErrorCode.NotJoined];

/** A refusal as a notice: the problems with words of their own get a stable name. */
export function boardNotice(err: ErrorBody): BoardNotice {
  switch (err.code) {
    case ErrorCode.ServerUnreachable:
    case ErrorCode.NotJoined:
      return { ...err, problem: 'dropped' };
    case ErrorCode.Forbidden:
      return { ...err, problem: 'forbidden' };
    default:
      return err;
  }
}

/**
 * The shared whiteboard, DOM-free. Members follow the server: a notification older than what is
 * here (by `version`) is ignored, and a gap (a missed update) fetches the whole board again. The
 * coach's own draws show at once and are sent with a stable id, so a retry never doubles them;
 * undo and clear wait for draws still on their way so they act on what the coach sees.
 */
export class BoardModel {
  /** The server's items, in its order, and the version they belong to. */
  private confirmed: BoardItem[] = [];
  private version = 0;
  /** Our draws not yet acknowledged, by id (drawn on top of `confirmed`). */
  private pending: BoardItem[] = [];
  private inflight = new Set<Promise<unknown>>();
  private channel: ClassChannel | undefined;
  private loaded = false;
  private visible = true;
  private unseen = false;
  private busyOps = 0;
  private notice: BoardNotice | undefined;
  private view: BoardViewState = { items: [], version: 0, loaded: false, unseen: false, busy: false, notice: undefined };
  private resyncing: Promise<void> | undefined;
  private readonly newId: () => string;
  private readonly retries: number;
  private readonly retryDelayMs: number;

  constructor(
    /** Called after every change; `remote` is true when it came from the server (not our own draw). */
    private readonly changed: (remote: boolean) => void,
    options: BoardOptions = {},
  ) {
    this.newId = options.newId ?? (() => crypto.randomUUID().replace(/-/g, '').slice(0, 24));
    this.retries = options.retries ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 400;
  }

  get state(): BoardViewState {
    return this.view;
  }

  private commit(remote: boolean): void {
    const ids = new Set(this.pending.map((i) => i.id));
    const items = this.pending.length ? [...this.confirmed.filter((i) => !ids.has(i.id)), ...this.pending] : this.confirmed;
    this.view = { items, version: this.version, loaded: this.loaded, unseen: this.unseen, busy: this.busyOps > 0, notice: this.notice };
    this.changed(remote);
  }

  /** Connects to a joined seat (again after each re-join); `undefined` detaches. */
  attach(channel: ClassChannel | undefined): void {
    this.channel = channel;
  }

  /** Whether the board is on screen: hidden, a change from the server marks it unseen. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible && this.unseen) {
      this.unseen = false;
      this.commit(false);
    }
  }

  /** The whole board from the server: after joining, after a reconnect, and after a gap. */
  async load(): Promise<void> {
    const { board } = await this.call('board:get', {});
    this.onState(board, true);
    this.loaded = true;
    this.commit(true);
  }

  /**
   * A `board:state` notification (undo, clear), or `board:get`'s answer (`authoritative`: the
   * server's current board, taken even if its version is lower, e.g. after a server restart).
   */
  onState(state: BoardState | undefined, authoritative = false): void {
    if (!state || !Array.isArray(state.items) || typeof state.version !== 'number') return;
    if (!authoritative && state.version <= this.version) return;
    const changed = state.version !== this.version || state.items.length !== this.confirmed.length;
    this.confirmed = [...state.items];
    this.version = state.version;
    // Our draws the server already has are no longer pending.
    const have = new Set(this.confirmed.map((i) => i.id));
    this.pending = this.pending.filter((i) => !have.has(i.id));
    if (changed && (state.items.length || this.view.items.length)) this.markUnseen();
    this.commit(true);
  }

  /** A `board:item` notification: one item added (or replaced, same id). */
  onItem(update: { item: BoardItem; version: number } | undefined): void {
    if (!update?.item || typeof update.version !== 'number') return;
    if (update.version <= this.version) return;
    const gap = update.version > this.version + 1;
    this.confirmed = upsert(this.confirmed, update.item);
    this.version = update.version;
    this.markUnseen();
    this.commit(true);
    // Something between was missed (a drop, a reordering): take the whole board.
    if (gap) void this.resync();
  }

  private markUnseen(): void {
    if (!this.visible) this.unseen = true;
  }

  private resync(): Promise<void> {
    this.resyncing ??= this.load()
      .catch(() => undefined)
      .finally(() => (this.resyncing = undefined));
    return this.resyncing;
  }

  /** The server acknowledged one of our changes with `version`: in step, or behind (resync). */
  private acknowledged(version: number): void {
    if (version === this.version + 1) this.version = version;
    else if (version > this.version) void this.resync();
  }

  // The coach's intents.

  /** A new stroke from board points (simplified to fit the wire limit). Returns it, or undefined for nothing. */
  drawStroke(points: readonly BoardPoint[], color: string, width: number): Promise<BoardItem | undefined> {
    const simple = simplifyStroke(points);
    if (!simple.length) return Promise.resolve(undefined);
    return this.draw({ kind: 'stroke', id: this.newId(), color, width: clamp(Math.round(width), 1, 40), points: simple });
  }

  /** Text at (x, y): its top-left corner, as fractions of the board. */
  drawText(text: string, x: number, y: number, color: string, size: number): Promise<BoardItem | undefined> {
    const t = text.trim().slice(0, 200);
    if (!t) return Promise.resolve(undefined);
    return this.draw({ kind: 'text', id: this.newId(), color, size: clamp(Math.round(size), 10, 200), x: round(clamp(x, 0, 1)), y: round(clamp(y, 0, 1)), text: t });
  }

  /** Shows an item at once and sends it; it stays if the server takes it, and goes if refused. */
  async draw(item: BoardItem): Promise<BoardItem | undefined> {
    if (this.confirmed.length + this.pending.length >= BOARD_MAX_ITEMS) {
      this.notice = { code: ErrorCode.BadRequest, message: '', problem: 'full', max: BOARD_MAX_ITEMS };
      this.commit(false);
      return undefined;
    }
    this.pending = [...this.pending, item];
    this.notice = undefined;
    this.busyOps++;
    this.commit(false);
    const op = this.send(item);
    this.inflight.add(op);
    try {
      return await op;
    } finally {
      this.inflight.delete(op);
      this.busyOps--;
      this.commit(false);
    }
  }

  private async send(item: BoardItem): Promise<BoardItem | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { version } = await this.call('board:draw', { item });
        this.pending = this.pending.filter((i) => i.id !== item.id);
        this.confirmed = upsert(this.confirmed, item);
        this.acknowledged(version);
        return item;
      } catch (err) {
        const e = toErrorBody(err);
        if (RETRIABLE.includes(e.code) && attempt < this.retries) {
          await new Promise((r) => setTimeout(r, this.retryDelayMs * attempt));
          continue;
        }
        this.pending = this.pending.filter((i) => i.id !== item.id);
        this.notice = boardNotice(e);
        return undefined;
      }
    }
  }

  /** Takes back the last item (after draws on their way have landed). */
  undo(): Promise<void> {
    return this.change('board:undo', () => {
      if (!this.confirmed.length) return false;
      this.confirmed = this.confirmed.slice(0, -1);
      return true;
    });
  }

  /** Empties the board for everyone. */
  clear(): Promise<void> {
    return this.change('board:clear', () => {
      this.confirmed = [];
      return true;
    });
  }

  private async change(name: 'board:undo' | 'board:clear', optimistic: () => boolean): Promise<void> {
    this.busyOps++;
    this.commit(false);
    try {
      await Promise.allSettled([...this.inflight]);
      if (!optimistic()) return;
      this.notice = undefined;
      this.commit(false);
      try {
        const { version } = await this.call(name, {});
        this.acknowledged(version);
      } catch (err) {
        const e = toErrorBody(err);
        this.notice = boardNotice(e);
        // What the server has now, whatever we showed.
        await this.resync();
      }
    } finally {
      this.busyOps--;
      this.commit(false);
    }
  }

  /** Forgets the notice (the coach dismissed it or drew again). */
  clearNotice(): void {
    if (!this.notice) return;
    this.notice = undefined;
    this.commit(false);
  }

  private call: ClassChannel['request'] = (name, payload) => {
    if (!this.channel) return Promise.reject(new FitError(ErrorCode.NotJoined, 'Join the class first'));
    return this.channel.request(name, payload);
  };
}

function upsert(list: readonly BoardItem[], item: BoardItem): BoardItem[] {
  const i = list.findIndex((x) => x.id === item.id);
  if (i < 0) return [...list, item];
  const next = [...list];
  next[i] = item;
  return next;
}

const clamp = (v: number, lo: number, hi: number) => (Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : lo);
/** Four decimals: 1/10 000 of the board is finer than any screen, and keeps messages small. */
const round = (v: number) => Math.round(v * 10_000) / 10_000;

export interface SimplifyOptions {
  /** Points closer than this to the last kept one are dropped (in board widths). */
  minDistance?: number;
  /** Ramer–Douglas–Peucker tolerance (in board widths). */
  tolerance?: number;
  maxPoints?: number;
  /** Height of the board over its width (distances are measured in board widths). */
  aspect?: number;
}

/**
 * Makes a drawn stroke fit the wire: coordinates clamped to the board and rounded, points closer
 * than `minDistance` dropped, then Ramer–Douglas–Peucker with a tolerance that doubles until the
 * stroke has at most `maxPoints`. Pure. First and last points are kept.
 */
export function simplifyStroke(points: readonly BoardPoint[], options: SimplifyOptions = {}): BoardPoint[] {
  const aspect = options.aspect ?? BOARD_ASPECT;
  const maxPoints = Math.max(2, options.maxPoints ?? BOARD_MAX_POINTS);
  const minDistance = options.minDistance ?? 0.002;
  let tolerance = Math.max(1e-6, options.tolerance ?? 0.0008);
  const clean: BoardPoint[] = [];
  for (const p of points) {
    if (!Array.isArray(p) || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) continue;
    const q: BoardPoint = [round(clamp(p[0], 0, 1)), round(clamp(p[1], 0, 1))];
    const last = clean.at(-1);
    if (last && distance(last, q, aspect) < minDistance) continue;
    clean.push(q);
  }
  // The real end of the line, even if it was close to the last kept point.
  const end = points.at(-1);
  if (clean.length > 1 && end && Number.isFinite(end[0]) && Number.isFinite(end[1])) {
    const q: BoardPoint = [round(clamp(end[0], 0, 1)), round(clamp(end[1], 0, 1))];
    const last = clean.at(-1)!;
    if (last[0] !== q[0] || last[1] !== q[1]) clean[clean.length - 1] = q;
  }
  if (clean.length <= 2) return clean;
  let out = rdp(clean, tolerance, aspect);
  while (out.length > maxPoints) {
    tolerance *= 2;
    out = rdp(clean, tolerance, aspect);
  }
  return out;
}

function distance(a: BoardPoint, b: BoardPoint, aspect: number): number {
  return Math.hypot(a[0] - b[0], (a[1] - b[1]) / aspect);
}

/** Distance from p to the segment a–b, in board widths (y scaled by the aspect). */
function segmentDistance(p: BoardPoint, a: BoardPoint, b: BoardPoint, aspect: number): number {
  const ax = a[0], ay = a[1] / aspect, bx = b[0], by = b[1] / aspect, px = p[0], py = p[1] / aspect;
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 ? clamp(((px - ax) * dx + (py - ay) * dy) / len2, 0, 1) : 0;
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Ramer–Douglas–Peucker, iterative (a long stroke must not overflow the stack). */
function rdp(points: readonly BoardPoint[], tolerance: number, aspect: number): BoardPoint[] {
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const stack: Array<[number, number]> = [[0, points.length - 1]];
  while (stack.length) {
    const [lo, hi] = stack.pop()!;
    let worst = -1;
    let worstAt = -1;
    for (let i = lo + 1; i < hi; i++) {
      const d = segmentDistance(points[i]!, points[lo]!, points[hi]!, aspect);
      if (d > worst) {
        worst = d;
        worstAt = i;
      }
    }
    if (worstAt >= 0 && worst > tolerance) {
      keep[worstAt] = 1;
      stack.push([lo, worstAt], [worstAt, hi]);
    }
  }
  return points.filter((_, i) => keep[i]);
}

function toErrorBody(err: unknown): ErrorBody {
  const e = err as { code?: unknown; message?: unknown };
  return { code: typeof e?.code === 'string' ? e.code : ErrorCode.Internal, message: typeof e?.message === 'string' ? e.message : '' };
}
