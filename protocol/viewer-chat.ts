import { z } from 'zod';
import type { ErrorBody } from './errors.js';
import type { ResponseMap } from './signaling.js';
import { socialNotificationSchemas, socialRequestSchemas } from './social.js';

/*
 * The chat of a broadcast, for its viewers: a class's chat, reached from `<fit-live-stream>` with a
 * viewer token. Viewers read the class's messages and write into it (as `role: 'viewer'`); the
 * coach and moderators delete and mute them from the class room as they do members. RTMP streams
 * have no class and so no chat.
 */

export { VIEWER_MIRRORED, VIEWER_NAMESPACE } from './viewer-chat-constants.js';

/** What `<fit-live-stream>` sends in the handshake. */
export const viewerHandshakeSchema = z.object({
  token: z.string().min(1).max(4096),
  streamId: z.string().min(1).max(128),
});

export const viewerRequestSchemas = {
  /** Who this viewer is in the chat, and whether they may write. */
  'chat:join': z.object({}).strict(),
  'chat:send': socialRequestSchemas['chat:send'],
  'chat:history': socialRequestSchemas['chat:history'],
  'chat:report': socialRequestSchemas['chat:report'],
} as const;
export type ViewerRequestName = keyof typeof viewerRequestSchemas;
export type ViewerRequestPayload<N extends ViewerRequestName> = z.infer<(typeof viewerRequestSchemas)[N]>;

export interface ViewerSelf {
  /** The `participantId` of this viewer's messages. */
  id: string;
  displayName: string;
  role: 'viewer';
}

/** The chat answers are the class's own. */
export interface ViewerResponseMap extends Pick<ResponseMap, 'chat:send' | 'chat:history' | 'chat:report'> {
  'chat:join': { self: ViewerSelf; muted: boolean };
}

export type ViewerAck<N extends ViewerRequestName> = { data: ViewerResponseMap[N] } | { error: ErrorBody };

export const viewerNotificationSchemas = {
  'chat:message': socialNotificationSchemas['chat:message'],
  'chat:deleted': socialNotificationSchemas['chat:deleted'],
  /** The coach muted (or unmuted) this viewer. */
  'chat:muted': z.object({ muted: z.boolean() }),
} as const;
export type ViewerNotificationName = keyof typeof viewerNotificationSchemas;
export type ViewerNotificationPayload<N extends ViewerNotificationName> = z.infer<(typeof viewerNotificationSchemas)[N]>;
