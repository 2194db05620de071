import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Re-renders its host whenever the room model (any EventTarget with `change`) changes. */
export class RoomController implements ReactiveController {
  private model: EventTarget | undefined;
  private readonly onChange = () => this.host.requestUpdate();

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  set(model: EventTarget | undefined): void {
    this.model?.removeEventListener('change', this.onChange);
    this.model = model;
    model?.addEventListener('change', this.onChange);
    this.host.requestUpdate();
  }

  hostDisconnected(): void {
    this.model?.removeEventListener('change', this.onChange);
  }

  hostConnected(): void {
    this.model?.addEventListener('change', this.onChange);
  }
}
