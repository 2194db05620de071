import { ErrorCode } from '../../protocol/error-codes.js';
import { BOARD_MAX_ITEMS, type BoardItem, type BoardState } from '../../protocol/social.js';
import { AppError } from '../errors.js';

/** The coach's board for one class: an ordered list of strokes and text. Pure. */
export class Whiteboard {
  private items: BoardItem[];
  private version: number;

  constructor(saved?: BoardState | null) {
    this.items = saved?.items ? [...saved.items] : [];
    this.version = saved?.version ?? 0;
  }

  /** Adds an item; an item with an id already on the board replaces it (a retried draw). */
  add(item: BoardItem): number {
    const i = this.items.findIndex((x) => x.id === item.id);
    if (i >= 0) this.items[i] = item;
    else {
      if (this.items.length >= BOARD_MAX_ITEMS) throw new AppError(ErrorCode.BadRequest, `The board is full (${BOARD_MAX_ITEMS} items): clear it first`);
      this.items.push(item);
    }
    return ++this.version;
  }

  undo(): number {
    if (!this.items.length) throw new AppError(ErrorCode.BadRequest, 'Nothing to undo');
    this.items.pop();
    return ++this.version;
  }

  clear(): number {
    this.items = [];
    return ++this.version;
  }

  state(): BoardState {
    return { items: [...this.items], version: this.version };
  }
}
