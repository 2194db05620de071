// Plain constants (no zod): the widget bundle imports this file.

/** The Socket.IO namespace broadcast viewers connect to for the class chat (the class room uses the default one). */
export const VIEWER_NAMESPACE = '/viewers';

/** Class notifications that viewers of the class's broadcast get too. */
export const VIEWER_MIRRORED: ReadonlySet<string> = new Set(['chat:message', 'chat:deleted']);
