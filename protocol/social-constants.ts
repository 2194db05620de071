// Plain constants (no zod): the widget bundle imports this file.

/** Longest chat message, in characters (after trimming). */
export const CHAT_MAX_LENGTH = 500;
/** Messages per history page (and on join). */
export const CHAT_PAGE_SIZE = 100;

/** The reactions a member can send: a small fixed set keeps bursts aggregatable. */
export const REACTIONS = ['👏', '💪', '🔥', '❤️', '🎉', '😅'] as const;
export type Reaction = (typeof REACTIONS)[number];

/** The whiteboard is drawn in a 16:9 box; coordinates are fractions of its width and height. */
export const BOARD_ASPECT = 16 / 9;
export const BOARD_MAX_ITEMS = 2000;
export const BOARD_MAX_POINTS = 1000;

/** Files a coach can share with a class. */
export const SHARED_FILE_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'image/webp'] as const;
export const SHARED_FILE_MAX_BYTES = 10 * 1024 * 1024;
