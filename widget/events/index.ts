import type { ErrorBody } from '../../protocol/errors.js';
import type { Role } from '../../protocol/participants.js';

/** Every event FitLive elements fire: bubbling, composed, named `fit-*`. */
export interface FitEventMap {
  'fit-joined': CustomEvent<{ participantId: string; role: Role }>;
  'fit-left': CustomEvent<{ reason: string }>;
  'fit-error': CustomEvent<ErrorBody>;
  'fit-rep': CustomEvent<{ count: number }>;
}

declare global {
  interface HTMLElementEventMap extends FitEventMap {}
}
