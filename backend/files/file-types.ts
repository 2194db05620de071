import type { SHARED_FILE_TYPES } from '../../protocol/social-constants.js';

export type SharedFileType = (typeof SHARED_FILE_TYPES)[number];

/** The type of a file from its first bytes; undefined for anything we do not share. */
export function detectFileType(bytes: Uint8Array): SharedFileType | undefined {
  const starts = (sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'; // %PDF-
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp'; // RIFF....WEBP
  return undefined;
}
