import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { fitGrid } from '../room/grid-layout.js';

/** Never smaller than this: a short window scrolls rather than squeezing the class to nothing. */
const MIN_STAGE_PX = 240;
/** Room left below the stage (its bottom edge and a little air). */
const BELOW_STAGE_PX = 16;

/** Where the controller finds what it sizes in the host's shadow root. */
export interface StageParts {
  /** The stage (`[data-testid="stage"]`). */
  stage(): HTMLElement | null | undefined;
  /** The member grid's area inside the stage, when the stage holds one (the coach's). */
  gridArea(): HTMLElement | null | undefined;
}

/**
 * Sizes the stage to the window, so the class (a member's coach video, or the coach's member
 * grid) is seen whole without scrolling, and lays the grid's tiles out to fill its area
 * (`fitGrid`). It measures in a frame after renders and on resizes, and writes the sizes through
 * the CSSOM itself: no re-render for a resize, and no `style` attribute in a template, which a
 * club's Content-Security-Policy (style-src 'self') would block.
 */
export class StageFitController implements ReactiveController {
  private resize: ResizeObserver | undefined;
  private observedArea: Element | undefined;
  private frame = 0;
  private readonly onWindowResize = () => this.schedule();

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly parts: StageParts,
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
    this.observedArea = undefined;
    cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  hostUpdated(): void {
    const area = this.parts.gridArea() ?? undefined;
    if (area !== this.observedArea) {
      if (this.observedArea) this.resize?.unobserve(this.observedArea);
      if (area) this.resize?.observe(area);
      this.observedArea = area;
    }
    // A render may have added or removed tiles, or replaced the stage: lay out again.
    this.schedule();
  }

  private schedule(): void {
    if (this.frame || typeof requestAnimationFrame === 'undefined') return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.apply();
    });
  }

  private apply(): void {
    const stage = this.parts.stage();
    const area = this.parts.gridArea();
    if (stage) setStyle(stage, 'height', `${this.stageHeight(stage, !!area)}px`);
    // The grid inside the stage: the tile size that fits every tile in the area (after the height above).
    const grid = area?.querySelector<HTMLElement>(':scope > [part~="grid"].grid');
    if (!area || !grid) return;
    const fit = fitGrid(grid.children.length, area.clientWidth, area.clientHeight);
    setStyle(grid, '--_tile-width', `${fit.tileWidth}px`);
    if (grid.dataset.columns !== String(fit.columns)) grid.dataset.columns = String(fit.columns);
  }

  /**
   * The window below the stage's top. A stage that holds a grid takes all of it, however tall
   * (a phone held upright); one 16:9 video never more than 16:9 of its width.
   */
  private stageHeight(stage: HTMLElement, holdsGrid: boolean): number {
    const rect = stage.getBoundingClientRect();
    const top = rect.top + globalThis.scrollY;
    const hostTop = this.host.getBoundingClientRect().top + globalThis.scrollY;
    // Near the top of the page: fill the window below the stage. Further down (a long club page),
    // size it as if the page were scrolled to the room, so the room fits the window whole.
    const above = top < innerHeight / 2 ? top : top - hostTop;
    const natural = (rect.width * 9) / 16;
    const room = innerHeight - above - BELOW_STAGE_PX;
    return Math.round(holdsGrid ? Math.max(MIN_STAGE_PX, room) : Math.max(Math.min(MIN_STAGE_PX, natural), Math.min(natural, room)));
  }
}

/** Sets one style property only when it differs (an unchanged value costs no style recalculation). */
function setStyle(el: HTMLElement, prop: string, value: string): void {
  if (el.style.getPropertyValue(prop) !== value) el.style.setProperty(prop, value);
}
