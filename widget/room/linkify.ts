/** A piece of a chat message: plain text, or an http(s) link. */
export type Segment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

// A run of non-space characters starting with http:// or https:// (case-blind). Anything else
// (javascript:, data:, mailto:, bare domains) stays text.
const URL_RE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
// Punctuation that usually ends a sentence rather than a URL.
const TRAILING = /[.,;:!?'"»”’)\]}>]+$/;

/**
 * Splits a message into text and link segments. Pure: the view renders text segments through
 * Lit text bindings and links as `<a>` with the segment's `href`, so HTML in a message is shown
 * as text and only http(s) URLs become links.
 */
export function linkify(text: string): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  const pushText = (s: string) => {
    if (!s) return;
    const prev = out[out.length - 1];
    if (prev?.kind === 'text') prev.text += s;
    else out.push({ kind: 'text', text: s });
  };
  for (const match of text.matchAll(URL_RE)) {
    const start = match.index;
    let candidate = match[0];
    // Keep a closing bracket that belongs to the URL (wikipedia/Foo_(bar)); drop sentence punctuation.
    for (;;) {
      const trimmed = candidate.replace(TRAILING, '');
      if (trimmed === candidate) break;
      const dropped = candidate.slice(trimmed.length);
      if (dropped[0] === ')' && count(trimmed, '(') > count(trimmed, ')')) {
        candidate = trimmed + ')';
        break;
      }
      candidate = trimmed;
    }
    const href = safeHref(candidate);
    if (!href) continue;
    pushText(text.slice(last, start));
    out.push({ kind: 'link', text: candidate, href });
    last = start + candidate.length;
  }
  pushText(text.slice(last));
  return out;
}

const count = (s: string, ch: string) => s.split(ch).length - 1;

/** The normalised URL when it is a well-formed http(s) URL with a host, else undefined. */
function safeHref(candidate: string): string | undefined {
  try {
    const url = new URL(candidate);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) return undefined;
    return url.href;
  } catch {
    return undefined;
  }
}
