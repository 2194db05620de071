import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { RoomModel } from '../room/room-model.js';

/** Re-renders its host whenever the room model changes. */
export class RoomController implements ReactiveController {
  private model: RoomModel | undefined;
  private readonly onChange = () => this.host.requestUpdate();

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  set(model: RoomModel | undefined): void {
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
