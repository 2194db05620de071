import { ErrorCode } from '../protocol/error-codes.js';
import { AppError } from './errors.js';

/*
 * Guards every payload passes at the edge, before any schema: no NUL characters anywhere (no id,
 * name or message has one, and Postgres cannot store them) and no unbounded nesting.
 */

const NUL = '\u0000';
/** Control characters in a URL path or query (tabs and newlines included). */
const URL_CONTROL = /[\u0000-\u001f\u007f]/;
const MAX_DEPTH = 32;
/** Control characters, zero-width marks and bidi overrides/isolates: text that would pose as other text. */
const DISGUISING = /[\u0000-\u0008\u000B-\u001F\u007F\u200B-\u200F\u202A-\u202E\u2066-\u2069]/g;

/** `text` without control, zero-width or bidi-control characters (line feeds and tabs kept). */
export function stripDisguising(text: string): string {
  return text.replace(DISGUISING, '');
}

/** Throws `bad_request` when a string or key anywhere in `value` holds NUL, or it nests too deep. */
export function assertCleanPayload(value: unknown): void {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes(NUL)) throw new AppError(ErrorCode.BadRequest, 'NUL characters are not allowed');
    } else if (v && typeof v === 'object') {
      if (depth >= MAX_DEPTH) throw new AppError(ErrorCode.BadRequest, `Nested deeper than ${MAX_DEPTH} levels`);
      for (const [k, child] of Object.entries(v)) {
        if (k.includes(NUL)) throw new AppError(ErrorCode.BadRequest, 'NUL characters are not allowed');
        stack.push([child, depth + 1]);
      }
    }
  }
}

/** Throws `bad_request` for a URL whose decoded path or query holds control characters or bad escapes. */
export function assertCleanUrl(path: string, query: string): void {
  for (const part of [path, query]) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(part.replace(/\+/g, ' '));
    } catch {
      throw new AppError(ErrorCode.BadRequest, 'Malformed URL encoding');
    }
    if (URL_CONTROL.test(decoded)) throw new AppError(ErrorCode.BadRequest, 'Control characters are not allowed in URLs');
  }
}
