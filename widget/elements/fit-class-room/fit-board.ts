import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { BoardItem } from '../../../protocol/social.js';
import { BOARD_ASPECT } from '../../../protocol/social-constants.js';
import { LocaleController } from '../../i18n/locale.js';
import type { BoardModel, BoardPoint } from '../../room/board-model.js';

/** The pens: a few colours that read on a white board, named for screen readers (`board.colour.<name>`). */
export const BOARD_COLORS = [
  { value: '#111827', name: 'black' },
  { value: '#dc2626', name: 'red' },
  { value: '#2563eb', name: 'blue' },
  { value: '#16a34a', name: 'green' },
  { value: '#f97316', name: 'orange' },
] as const;
export const BOARD_WIDTHS = [
  { value: 3, name: 'thin' },
  { value: 6, name: 'medium' },
  { value: 12, name: 'thick' },
] as const;
export const BOARD_TEXT_SIZES = [
  { value: 32, name: 'small' },
  { value: 48, name: 'medium' },
  { value: 72, name: 'large' },
] as const;

type Tool = 'pen' | 'text';

/** Draws board items on a 2D context of `w` × `h` device pixels. Pure (but for the context). */
export function paintBoard(ctx: CanvasRenderingContext2D, items: readonly BoardItem[], w: number, h: number): void {
  ctx.clearRect(0, 0, w, h);
  for (const item of items) paintItem(ctx, item, w, h);
}

export function paintItem(ctx: CanvasRenderingContext2D, item: BoardItem, w: number, h: number): void {
  ctx.save();
  ctx.fillStyle = ctx.strokeStyle = item.color;
  if (item.kind === 'stroke') {
    const lw = Math.max(1, (item.width / 1000) * w);
    const [first, ...rest] = item.points;
    if (!first) return void ctx.restore();
    if (!rest.length) {
      ctx.beginPath();
      ctx.arc(first[0] * w, first[1] * h, lw / 2, 0, Math.PI * 2);
      ctx.fill();
    } else {
      ctx.lineWidth = lw;
      ctx.lineCap = 'round';
      ctx.lineJoin = 'round';
      ctx.beginPath();
      ctx.moveTo(first[0] * w, first[1] * h);
      for (const p of rest) ctx.lineTo(p[0] * w, p[1] * h);
      ctx.stroke();
    }
  } else {
    const px = Math.max(4, (item.size / 1000) * w);
    ctx.font = `600 ${px}px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif`;
    ctx.textBaseline = 'top';
    item.text.split('\n').forEach((line, i) => ctx.fillText(line, item.x * w, item.y * h + i * px * 1.2));
  }
  ctx.restore();
}

/** Where keyboard-placed text goes: below the lowest text on the board, at the left. */
export function nextTextPosition(items: readonly BoardItem[]): { x: number; y: number } {
  let y = 0.04;
  for (const i of items) if (i.kind === 'text') y = Math.max(y, i.y + ((i.size * 1.3) / 1000) * BOARD_ASPECT * i.text.split('\n').length);
  return { x: 0.04, y: Math.min(0.9, y) };
}

/**
 * @tag fit-board
 *
 * The whiteboard inside `<fit-class-room>`: a canvas that paints the board's items at its own
 * size (sharp on high-DPI screens, repainted when resized), and for the coach a pen (pointer
 * events: mouse, touch, stylus), text (tap to place, or Enter to add below the last line), undo
 * and clear with a confirmation. Internal: the room sets `items`, `model` and `editable`.
 *
 * @csspart board-canvas - The drawing surface.
 * @csspart board-tools - The coach's toolbar.
 */
export class FitBoard extends LitElement {
  static override properties = {
    items: { attribute: false },
    model: { attribute: false },
    editable: { type: Boolean },
    tool: { state: true },
    color: { state: true },
    width: { state: true },
    textSize: { state: true },
    textDraft: { state: true },
    confirmClear: { state: true },
  };

  static override styles = css`
    :host {
      display: grid;
      gap: 8px;
      min-width: 0;
    }
    * {
      box-sizing: border-box;
    }
    .surface {
      position: relative;
      aspect-ratio: 16 / 9;
      width: 100%;
      border-radius: calc(var(--fit-radius, 12px) / 1.5);
      overflow: hidden;
      background: var(--fit-board-bg, #ffffff);
    }
    canvas {
      display: block;
      width: 100%;
      height: 100%;
      touch-action: pinch-zoom;
    }
    :host([editable]) canvas {
      /* The pen owns the gestures on the board; scrolling the page happens elsewhere. */
      touch-action: none;
      cursor: crosshair;
    }
    :host([editable]) canvas.text {
      cursor: text;
    }
    .empty {
      position: absolute;
      inset: 0;
      display: grid;
      place-items: center;
      color: #6b7280;
      font-size: 0.9rem;
      pointer-events: none;
    }
    .sr-only {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }
    .tools {
      display: flex;
      flex-wrap: wrap;
      gap: 6px 12px;
      align-items: center;
      font-size: 0.85rem;
    }
    .group {
      display: inline-flex;
      flex-wrap: wrap;
      gap: 4px;
      align-items: center;
    }
    button,
    select,
    input {
      font: inherit;
      font-size: 0.85rem;
      min-height: 36px;
      color: var(--_fg, #f4f5f7);
      background: var(--_tile-bg, #1d2229);
      border: 1px solid color-mix(in srgb, var(--_fg, #f4f5f7) 20%, transparent);
    }
    button {
      font-weight: 600;
      border-radius: 999px;
      padding: 4px 12px;
      cursor: pointer;
    }
    button[aria-pressed='true'] {
      background: var(--_accent, #ff5a1f);
      border-color: var(--_accent, #ff5a1f);
      color: var(--_on-accent, #14181d);
    }
    button:disabled {
      opacity: 0.5;
      cursor: default;
    }
    button:focus-visible,
    select:focus-visible,
    input:focus-visible {
      outline: 3px solid color-mix(in srgb, var(--_accent, #ff5a1f) 50%, white);
      outline-offset: 2px;
    }
    button.swatch {
      width: 36px;
      min-width: 36px;
      padding: 0;
      border: 2px solid rgb(255 255 255 / 0.35);
    }
    button.swatch[aria-pressed='true'] {
      border-color: #fff;
      box-shadow: 0 0 0 2px var(--_accent, #ff5a1f);
    }
    .swatch[data-color='#111827'] { background: #111827; }
    .swatch[data-color='#dc2626'] { background: #dc2626; }
    .swatch[data-color='#2563eb'] { background: #2563eb; }
    .swatch[data-color='#16a34a'] { background: #16a34a; }
    .swatch[data-color='#f97316'] { background: #f97316; }
    select,
    input {
      border-radius: 8px;
      padding: 4px 8px;
    }
    input[type='text'] {
      width: 14em;
      max-width: 100%;
    }
    .danger {
      color: var(--_danger, #ff6b6b);
      border-color: color-mix(in srgb, var(--_danger, #ff6b6b) 60%, transparent);
    }
    .confirm {
      display: inline-flex;
      gap: 6px;
      align-items: center;
    }
  `;

  /** What to paint (the model's `state.items`). */
  declare items: readonly BoardItem[];
  /** Where the coach's draws go. */
  declare model: BoardModel | undefined;
  /** The coach: pen, text, undo and clear. */
  declare editable: boolean;
  declare tool: Tool;
  declare color: string;
  declare width: number;
  declare textSize: number;
  declare textDraft: string;
  declare confirmClear: boolean;

  private readonly i18n = new LocaleController(this);
  private resizeObserver: ResizeObserver | undefined;
  /** The stroke under the pen, in board fractions. */
  private live: { pointerId: number; points: BoardPoint[] } | undefined;
  private pixelSize = { w: 0, h: 0 };

  constructor() {
    super();
    this.items = [];
    this.model = undefined;
    this.editable = false;
    this.tool = 'pen';
    this.color = BOARD_COLORS[0].value;
    this.width = BOARD_WIDTHS[1].value;
    this.textSize = BOARD_TEXT_SIZES[1].value;
    this.textDraft = '';
    this.confirmClear = false;
  }

  private get canvas(): HTMLCanvasElement | null {
    return this.renderRoot.querySelector('canvas');
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.observe();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
    this.resizeObserver = undefined;
  }

  protected override firstUpdated(): void {
    this.observe();
  }

  private observe(): void {
    const canvas = this.canvas;
    if (!canvas || typeof ResizeObserver === 'undefined') return;
    this.resizeObserver?.disconnect();
    this.resizeObserver = new ResizeObserver(() => this.paint());
    this.resizeObserver.observe(canvas);
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('items')) this.paint();
  }

  /** Sizes the canvas to its box × devicePixelRatio and paints everything. */
  paint(): void {
    const canvas = this.canvas;
    if (!canvas) return;
    const dpr = globalThis.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(canvas.clientWidth * dpr));
    const h = Math.max(1, Math.round(canvas.clientHeight * dpr));
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    this.pixelSize = { w, h };
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    paintBoard(ctx, this.items, w, h);
    if (this.live) paintItem(ctx, this.liveStroke(), w, h);
  }

  private liveStroke(): BoardItem {
    return { kind: 'stroke', id: 'live', color: this.color, width: this.width, points: this.live?.points ?? [] };
  }

  private pointAt(e: PointerEvent): BoardPoint {
    const r = this.canvas!.getBoundingClientRect();
    return [Math.min(1, Math.max(0, (e.clientX - r.left) / (r.width || 1))), Math.min(1, Math.max(0, (e.clientY - r.top) / (r.height || 1)))];
  }

  private onPointerDown(e: PointerEvent): void {
    if (!this.editable || !this.model || (e.pointerType === 'mouse' && e.button !== 0)) return;
    if (this.tool === 'text') {
      const [x, y] = this.pointAt(e);
      if (this.textDraft.trim()) this.placeText(x, y);
      else this.renderRoot.querySelector<HTMLInputElement>('[data-testid="board-text-input"]')?.focus();
      return;
    }
    // One pen at a time: a second finger does not start a second line.
    if (this.live) return;
    e.preventDefault();
    try {
      // The line goes on when the pen leaves the board for a moment.
      (e.target as Element).setPointerCapture?.(e.pointerId);
    } catch {
      // Not an active pointer (a synthetic event): draw without capture.
    }
    this.live = { pointerId: e.pointerId, points: [this.pointAt(e)] };
    this.paint();
  }

  private onPointerMove(e: PointerEvent): void {
    if (!this.live || e.pointerId !== this.live.pointerId) return;
    const events = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
    const fresh = events.length ? events : [e];
    for (const ev of fresh) this.live.points.push(this.pointAt(ev));
    const ctx = this.canvas?.getContext('2d');
    const pts = this.live.points;
    if (!ctx || pts.length < 2) return;
    // Just the newest segment: a long stroke stays cheap to follow.
    const { w, h } = this.pixelSize;
    paintItem(ctx, { kind: 'stroke', id: 'seg', color: this.color, width: this.width, points: pts.slice(-(fresh.length + 1)) }, w, h);
  }

  private onPointerUp(e: PointerEvent): void {
    if (!this.live || e.pointerId !== this.live.pointerId) return;
    if (e.type === 'pointerup') this.live.points.push(this.pointAt(e));
    const points = this.live.points;
    this.live = undefined;
    if (e.type === 'pointercancel') return this.paint();
    void this.model?.drawStroke(points, this.color, this.width);
  }

  private placeText(x?: number, y?: number): void {
    const text = this.textDraft.trim();
    if (!text || !this.model) return;
    const at = x === undefined || y === undefined ? nextTextPosition(this.items) : { x, y };
    void this.model.drawText(text, at.x, at.y, this.color, this.textSize);
    this.textDraft = '';
  }

  protected override render(): TemplateResult {
    const { t } = this.i18n;
    const strokes = this.items.filter((i) => i.kind === 'stroke').length;
    const texts = this.items.filter((i): i is Extract<BoardItem, { kind: 'text' }> => i.kind === 'text');
    const label = this.items.length ? t('board.label', { strokes, texts: texts.length }) : t('board.labelEmpty');
    return html`<div class="surface">
        <canvas
          part="board-canvas"
          class=${this.tool}
          data-testid="board-canvas"
          data-items=${this.items.length}
          role="img"
          aria-label=${label}
          @pointerdown=${this.onPointerDown}
          @pointermove=${this.onPointerMove}
          @pointerup=${this.onPointerUp}
          @pointercancel=${this.onPointerUp}
        ></canvas>
        ${this.items.length ? nothing : html`<span class="empty">${t(this.editable ? 'board.emptyCoach' : 'board.empty')}</span>`}
      </div>
      ${texts.length
        ? html`<ul class="sr-only" aria-label=${t('board.texts')} data-testid="board-texts">
            ${texts.map((item) => html`<li>${item.text}</li>`)}
          </ul>`
        : nothing}
      ${this.editable ? this.renderTools() : nothing}`;
  }

  private renderTools(): TemplateResult {
    const { t } = this.i18n;
    const empty = !this.items.length;
    return html`<div part="board-tools" class="tools" role="toolbar" aria-label=${t('board.tools')} data-testid="board-tools">
      <span class="group" role="group" aria-label=${t('board.tool')}>
        <button data-testid="board-tool-pen" aria-pressed=${this.tool === 'pen'} @click=${() => (this.tool = 'pen')}>✏️ ${t('board.pen')}</button>
        <button data-testid="board-tool-text" aria-pressed=${this.tool === 'text'} @click=${() => (this.tool = 'text')}>T ${t('board.text')}</button>
      </span>
      <span class="group" role="group" aria-label=${t('board.colour')}>
        ${BOARD_COLORS.map((c) => {
          const name = t(`board.colour.${c.name}`);
          return html`<button class="swatch" data-testid="board-color" data-color=${c.value} aria-label=${name} title=${name} aria-pressed=${this.color === c.value} @click=${() => (this.color = c.value)}></button>`;
        })}
      </span>
      ${this.tool === 'pen'
        ? html`<label class="group">${t('board.width')}
            <select data-testid="board-width" @change=${(e: Event) => (this.width = Number((e.target as HTMLSelectElement).value))}>
              ${BOARD_WIDTHS.map((w) => html`<option value=${w.value} ?selected=${this.width === w.value}>${t(`board.width.${w.name}`)}</option>`)}
            </select>
          </label>`
        : html`<form class="group" @submit=${(e: Event) => (e.preventDefault(), this.placeText())}>
            <input
              type="text"
              data-testid="board-text-input"
              maxlength="200"
              aria-label=${t('board.textInput')}
              placeholder=${t('board.textPlaceholder')}
              .value=${this.textDraft}
              @input=${(e: Event) => (this.textDraft = (e.target as HTMLInputElement).value)}
            />
            <select data-testid="board-text-size" aria-label=${t('board.textSize')} @change=${(e: Event) => (this.textSize = Number((e.target as HTMLSelectElement).value))}>
              ${BOARD_TEXT_SIZES.map((s) => html`<option value=${s.value} ?selected=${this.textSize === s.value}>${t(`board.size.${s.name}`)}</option>`)}
            </select>
            <button type="submit" data-testid="board-text-add" ?disabled=${!this.textDraft.trim()}>${t('board.addText')}</button>
          </form>`}
      <span class="group">
        <button data-testid="board-undo" ?disabled=${empty} @click=${() => void this.model?.undo()}>↶ ${t('board.undo')}</button>
        ${this.confirmClear
          ? html`<span class="confirm" role="group" aria-label=${t('board.clearLabel')}>
              <span>${t('board.clearAsk')}</span>
              <button class="danger" data-testid="board-clear-confirm" @click=${() => ((this.confirmClear = false), void this.model?.clear())}>${t('board.clear')}</button>
              <button data-testid="board-clear-cancel" @click=${() => (this.confirmClear = false)}>${t('board.cancel')}</button>
            </span>`
          : html`<button class="danger" data-testid="board-clear" ?disabled=${empty} @click=${() => (this.confirmClear = true)}>${t('board.clearMenu')}</button>`}
      </span>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fit-board': FitBoard;
  }
}
