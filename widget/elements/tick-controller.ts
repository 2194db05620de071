import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Re-renders the host on an interval while `active()` says so (a running class timer). */
export class TickController implements ReactiveController {
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly active: () => boolean,
    private readonly everyMs = 200,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    const want = this.active();
    if (want && !this.timer) this.timer = setInterval(() => this.host.requestUpdate(), this.everyMs);
    else if (!want && this.timer) this.stop();
  }

  hostDisconnected(): void {
    this.stop();
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
