/**
 * FitLive widget entry: `<script type="module" src="…/fitlive.js">` defines every element.
 * Loading it twice (two plugins, two snippets) is harmless.
 */
import { FitBoard } from './elements/fit-class-room/fit-board.js';
import { FitClassRoom } from './elements/fit-class-room/fit-class-room.js';
import { defineElement } from './elements/fit-element.js';
import { FitLiveStream } from './elements/fit-live-stream/fit-live-stream.js';
import { FitRepCounter } from './elements/fit-rep-counter/fit-rep-counter.js';

export { FitBoard, FitClassRoom, FitLiveStream, FitRepCounter };
export { RoomModel } from './room/room-model.js';
export type { RoomState, RemoteParticipant, RoomOptions } from './room/room-model.js';
export { StreamModel } from './stream/stream-model.js';
export type { StreamState, StreamPhase } from './stream/stream-model.js';
export type { FitEventMap } from './events/index.js';

defineElement('fit-class-room', FitClassRoom);
defineElement('fit-rep-counter', FitRepCounter);
defineElement('fit-board', FitBoard);
defineElement('fit-live-stream', FitLiveStream);
