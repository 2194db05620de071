import * as parser from 'socket.io-parser';

/**
 * Socket.IO's own decoder, except that it drops (unparsed) the big notifications the chat benches
 * never read: every join sends the whole class state (~90 bytes per member) to everyone already
 * in, and JSON-parsing that N²-per-join stream in two processes, not in 1,000 browsers, would make
 * the bench measure itself. The bytes still cross the wire and reach the client. CHAT_FULL_DECODE=1
 * decodes everything, as socket.io-client does by default.
 */
const skipped = /^2\["(class:state|class:members|participant:joined|participant:left)"/;
class LeanDecoder extends parser.Decoder {
  override add(obj: unknown): void {
    if (typeof obj === 'string' && skipped.test(obj)) return;
    super.add(obj);
  }
}
export const leanParser = { ...parser, Decoder: LeanDecoder };
