import type { ReactiveController, ReactiveControllerHost } from 'lit';

interface Snapshot {
  atBottom: boolean;
  height: number;
  top: number;
  firstKey: string | undefined;
}

/**
 * Keeps a chat list where the reader expects it across renders: at the newest message when the
 * reader was already at the bottom (or just sent one), and on the same message when an older
 * page is put above it.
 */
export class ChatScrollController implements ReactiveController {
  private snapshot: Snapshot | undefined;
  private stick = false;

  constructor(
    host: ReactiveControllerHost,
    private readonly list: () => HTMLElement | null | undefined,
    /** How close to the bottom counts as "at the bottom", in px. */
    private readonly slack = 32,
  ) {
    host.addController(this);
  }

  /** The next render ends at the newest message (the user sent one). */
  stickToBottom(): void {
    this.stick = true;
  }

  hostUpdate(): void {
    const el = this.list();
    this.snapshot = el
      ? { atBottom: el.scrollHeight - el.scrollTop - el.clientHeight <= this.slack, height: el.scrollHeight, top: el.scrollTop, firstKey: firstKey(el) }
      : undefined;
  }

  hostUpdated(): void {
    const el = this.list();
    if (!el) return;
    const snap = this.snapshot;
    if (!snap || this.stick) {
      el.scrollTop = el.scrollHeight;
      this.stick = false;
      return;
    }
    if (el.scrollHeight === snap.height) return;
    const first = firstKey(el);
    if (first !== snap.firstKey && snap.firstKey !== undefined && !snap.atBottom) {
      // Older messages came in above: keep the one the reader was looking at in place.
      el.scrollTop = snap.top + (el.scrollHeight - snap.height);
    } else if (snap.atBottom) {
      el.scrollTop = el.scrollHeight;
    }
  }
}

const firstKey = (el: HTMLElement) => el.querySelector<HTMLElement>('[data-seq]')?.dataset.seq;
