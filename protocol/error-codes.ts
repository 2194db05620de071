// Plain constants (no zod): the widget bundle imports this file.
/**
 * Stable error codes shared by the backend (REST + socket acks) and the widget (`fit-error`).
 * Integrators switch on these strings: never rename one, only add.
 */
export const ErrorCode = {
  BadRequest: 'bad_request',
  Unauthorized: 'unauthorized',
  TokenExpired: 'token_expired',
  TokenInvalid: 'token_invalid',
  Forbidden: 'forbidden',
  OriginNotAllowed: 'origin_not_allowed',
  NotFound: 'not_found',
  /** The request clashes with the current state (an id taken, a stream that ended, a recording not ready). */
  Conflict: 'conflict',
  ClassNotFound: 'class_not_found',
  ClassMismatch: 'class_mismatch',
  NotJoined: 'not_joined',
  AlreadyJoined: 'already_joined',
  RateLimited: 'rate_limited',
  /** A hard cap was reached (transports per seat); unlike rate_limited, waiting does not help. */
  LimitReached: 'limit_reached',
  MediaError: 'media_error',
  ClassEnded: 'class_ended',
  Removed: 'removed',
  MicLocked: 'mic_locked',
  ClassFull: 'class_full',
  ChatMuted: 'chat_muted',
  PayloadTooLarge: 'payload_too_large',
  UnsupportedMediaType: 'unsupported_media_type',
  StreamNotFound: 'stream_not_found',
  StreamFull: 'stream_full',
  StreamNotLive: 'stream_not_live',
  /** The stream has no chat (an RTMP stream has no class behind it). */
  ChatUnavailable: 'chat_unavailable',
  /**
   * The class runs on another node: the socket refusal carries `url`, where to connect instead.
   * The widget follows it by itself.
   */
  WrongNode: 'wrong_node',
  Internal: 'internal_error',
  // Client-side only: raised by the widget, never sent by the server.
  ServerUnreachable: 'server_unreachable',
  MediaPermissionDenied: 'media_permission_denied',
  MediaDeviceUnavailable: 'media_device_unavailable',
  MediaTimeout: 'media_timeout',
  /** Camera counting: the pose model could not load or run in this browser. */
  PoseModelFailed: 'pose_model_failed',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
