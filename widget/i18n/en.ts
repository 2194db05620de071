/**
 * The widget's English texts: the source every other language translates (es.ts must have every
 * key, or the type check fails). Keys are grouped by where they show; a function takes the
 * values a text needs.
 */
export const en = {
  // <fit-class-room>: header and lobby
  'room.title': 'Live class',
  'room.connection': 'Connection',
  'room.connection.connecting': 'connecting',
  'room.connection.connected': 'connected',
  'room.connection.reconnecting': 'reconnecting',
  'room.connection.disconnected': 'disconnected',
  'room.join': 'Join class',
  'room.rejoin': 'Rejoin class',
  'room.leave': 'Leave',
  'room.ready': 'Ready when you are: your camera turns on when you join.',
  'room.left': 'You left the class.',
  'room.thanks': 'Thanks for training!',
  'room.level': 'Your level',
  'level.beginner': 'Beginner',
  'level.intermediate': 'Intermediate',
  'level.advanced': 'Advanced',
  // <fit-rep-counter>
  'reps.unit': 'reps',
  'reps.of': (p: { target: number }) => `reps of ${p.target}`,
  'reps.retry': 'Tap to retry.',
  'reps.button': (p: { shown: string; exercise?: string | undefined }) => `${p.shown}${p.exercise ? `, ${p.exercise}` : ''}: tap to count a rep`,
  // <fit-live-stream>
  'stream.startsSoon': 'Starts soon',
  'stream.ended': 'This stream has ended',
  'stream.cannotPlay': 'This stream cannot be played.',
  'stream.retry': 'Try again',
  'stream.loading': 'Loading',
  'stream.play': 'Play',
  'stream.pause': 'Pause',
  'stream.mute': 'Mute',
  'stream.unmute': 'Unmute',
  'stream.fullscreen': 'Fullscreen',
  'stream.exitFullscreen': 'Exit fullscreen',
  'stream.live': 'LIVE',
  'stream.goLive': 'Go live',
  'stream.atEdge': 'Live: you are watching the newest picture',
  'stream.toEdge': 'Go live: jump to the newest picture',
  // Errors the visitor may see, by stable code (the server's English message otherwise).
  'error.token_expired': 'Your access has expired. Ask the club for a new link.',
  'error.token_invalid': 'This link is not valid. Ask the club for a new one.',
  'error.origin_not_allowed': 'This site may not show the club’s classes.',
  'error.class_not_found': 'This class does not exist (any more).',
  'error.class_ended': 'This class has ended.',
  'error.class_full': 'The class is full.',
  'error.removed': 'You were removed from this class.',
  'error.server_unreachable': 'Cannot reach the class. Check your connection and try again.',
  'error.media_permission_denied': 'Camera or microphone blocked: allow them in the browser to be seen and heard.',
  'error.rate_limited': 'Too many attempts. Wait a minute and try again.',
  'error.stream_full': 'This stream has reached its viewer limit.',
  'error.stream_not_found': 'This stream does not exist.',
};

export type MessageKey = keyof typeof en;
/** A catalog for another language: every key, each of the same shape as the English one. */
export type Catalog = { [K in MessageKey]: (typeof en)[K] };
