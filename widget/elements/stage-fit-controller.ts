import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface StageFit {
  /** The stage's height in px: what is left of the window below the stage (see `holdsGrid`). */
  stageHeight: number | undefined;
  /** The size of the member grid's area inside the stage. */
  gridWidth: number;
  gridHeight: number;
}

/** Never smaller than this: a short window scrolls rather than squeezing the class to nothing. */
const MIN_STAGE_PX = 240;
/** Room left below the stage (its bottom edge and a little air). */
const BELOW_STAGE_PX = 16;

/**
 * Sizes the stage to the window, so the class (the coach's video, or the coach's member grid)
 * is seen whole without scrolling, and measures the grid's area for the tile layout. Measures
 * after renders and on resizes only (one read each, in a frame), never per video frame.
 */
export class StageFitController implements ReactiveController {
  fit: StageFit = { stageHeight: undefined, gridWidth: 0, gridHeight: 0 };
  private resize: ResizeObserver | undefined;
  private observed = new Set<Element>();
  private frame = 0;
  private readonly onWindowResize = () => this.schedule();

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly stage: () => HTMLElement | null | undefined,
    private readonly gridArea: () => HTMLElement | null | undefined,
    /**
     * The stage holds a grid (the coach's): it takes the window's height, however tall (a phone
     * held upright). Otherwise one 16:9 video: never taller than 16:9 of its width.
     */
    private readonly holdsGrid: () => boolean = () => false,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    globalThis.addEventListener?.('resize', this.onWindowResize);
    if (typeof ResizeObserver !== 'undefined') this.resize = new ResizeObserver(() => this.schedule());
    this.resize?.observe(this.host);
  }

  hostDisconnected(): void {
    globalThis.removeEventListener?.('resize', this.onWindowResize);
    this.resize?.disconnect();
    this.observed.clear();
    cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  hostUpdated(): void {
    const area = this.gridArea();
    for (const el of this.observed) if (el !== area) (this.resize?.unobserve(el), this.observed.delete(el));
    if (area && !this.observed.has(area)) (this.resize?.observe(area), this.observed.add(area));
    this.schedule();
  }

  private schedule(): void {
    if (this.frame || typeof requestAnimationFrame === 'undefined') return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.measure();
    });
  }

  private measure(): void {
    const stage = this.stage();
    const next: StageFit = { stageHeight: undefined, gridWidth: 0, gridHeight: 0 };
    if (stage) {
      const rect = stage.getBoundingClientRect();
      const top = rect.top + globalThis.scrollY;
      const hostTop = this.host.getBoundingClientRect().top + globalThis.scrollY;
      // Near the top of the page: fill the window below the stage. Further down (a long club page),
      // size it as if the page were scrolled to the room, so the room fits the window whole.
      const above = top < innerHeight / 2 ? top : top - hostTop;
      const natural = (rect.width * 9) / 16;
      const room = innerHeight - above - BELOW_STAGE_PX;
      next.stageHeight = Math.round(this.holdsGrid() ? Math.max(MIN_STAGE_PX, room) : Math.max(Math.min(MIN_STAGE_PX, natural), Math.min(natural, room)));
    }
    const area = this.gridArea();
    if (area) {
      next.gridWidth = Math.floor(area.clientWidth);
      next.gridHeight = Math.floor(area.clientHeight);
    }
    const prev = this.fit;
    const moved = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? a !== b : Math.abs(a - b) > 1);
    if (moved(prev.stageHeight, next.stageHeight) || moved(prev.gridWidth, next.gridWidth) || moved(prev.gridHeight, next.gridHeight)) {
      this.fit = next;
      this.host.requestUpdate();
    }
  }
}
