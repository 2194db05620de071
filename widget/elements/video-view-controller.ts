import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface VideoView {
  visible: boolean;
  height: number;
}

/**
 * Watches the remote videos a host renders (`video[data-view-of]` in its shadow root) and
 * reports, debounced, how each is shown: its rendered height, and whether it can be seen at all
 * (on screen, not display:none, the tab in front). The room turns that into layers and pauses.
 */
export class VideoViewController implements ReactiveController {
  private readonly sizes = new Map<Element, number>();
  private readonly onScreen = new Map<Element, boolean>();
  private resize: ResizeObserver | undefined;
  private intersect: IntersectionObserver | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastVersion: unknown;
  private readonly onVisibility = () => this.schedule();

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly report: (participantId: string, view: VideoView) => void,
    /** Changes when the media behind the videos changes (a track arrives): views are sent again. */
    private readonly mediaVersion: () => unknown,
    private readonly debounceMs = 250,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    if (typeof ResizeObserver === 'undefined' || typeof IntersectionObserver === 'undefined') return;
    this.resize = new ResizeObserver((entries) => {
      for (const e of entries) this.sizes.set(e.target, e.contentRect.height);
      this.schedule();
    });
    this.intersect = new IntersectionObserver((entries) => {
      for (const e of entries) this.onScreen.set(e.target, e.isIntersecting);
      this.schedule();
    });
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  hostUpdated(): void {
    const videos = new Set(this.host.shadowRoot?.querySelectorAll('video[data-view-of]') ?? []);
    for (const el of this.sizes.keys()) {
      if (!videos.has(el as HTMLVideoElement)) this.forget(el);
    }
    for (const el of videos) {
      if (this.sizes.has(el)) continue;
      this.sizes.set(el, 0);
      this.resize?.observe(el);
      this.intersect?.observe(el);
    }
    const version = this.mediaVersion();
    if (version !== this.lastVersion) {
      this.lastVersion = version;
      this.schedule();
    }
  }

  hostDisconnected(): void {
    this.resize?.disconnect();
    this.intersect?.disconnect();
    this.sizes.clear();
    this.onScreen.clear();
    clearTimeout(this.timer);
    document.removeEventListener('visibilitychange', this.onVisibility);
  }

  private forget(el: Element): void {
    this.resize?.unobserve(el);
    this.intersect?.unobserve(el);
    this.sizes.delete(el);
    this.onScreen.delete(el);
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.debounceMs);
  }

  private flush(): void {
    const tabVisible = document.visibilityState !== 'hidden';
    for (const [el, height] of this.sizes) {
      const id = (el as HTMLElement).dataset.viewOf;
      if (!id) continue;
      const visible = tabVisible && (this.onScreen.get(el) ?? true) && height > 0;
      this.report(id, { visible, height });
    }
  }
}
