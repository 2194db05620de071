import type { ErrorBody } from '../../protocol/errors.js';
import type { Role } from '../../protocol/participants.js';
import type { ChatMessage, SharedFile } from '../../protocol/social.js';
import type { QualityReport } from '../../protocol/signaling.js';

/** Every event FitLive elements fire: bubbling, composed, named `fit-*`. */
export interface FitEventMap {
  'fit-joined': CustomEvent<{ participantId: string; role: Role }>;
  'fit-left': CustomEvent<{ reason: string }>;
  'fit-error': CustomEvent<ErrorBody>;
  'fit-rep': CustomEvent<{ count: number; source: 'tap' | 'camera' }>;
  /** A chat message arrived live (each once; not fired for history pages). */
  'fit-chat-message': CustomEvent<ChatMessage>;
  /** A burst of reactions from the class, summed per emoji. */
  'fit-reaction': CustomEvent<{ counts: Partial<Record<string, number>> }>;
  /** The class is full and this seat waits in line: `position` 1 = next, 0 = a seat is held. */
  'fit-waitlist': CustomEvent<{ position: number | undefined }>;
  /** The coach shared a file with the class (live, once per file; not for the list on join). `url` is relative to the server. */
  'fit-file-shared': CustomEvent<SharedFile>;
  /** The whiteboard changed on the server (someone else drew, undid or cleared; or it was loaded). */
  'fit-board-changed': CustomEvent<{ version: number; items: number }>;
  /** This seat's own connection summary, each time it is reported to the server (about every 5 s). */
  'fit-quality': CustomEvent<QualityReport>;
  /** `<fit-live-stream>`'s state changed: `idle` = not started yet. */
  'fit-stream-state': CustomEvent<{ state: 'loading' | 'idle' | 'live' | 'ended' | 'recording' | 'error' }>;
  /** `<fit-live-stream>`: the live viewer count changed. */
  'fit-viewers': CustomEvent<{ viewers: number }>;
}

declare global {
  interface HTMLElementEventMap extends FitEventMap {}
}
