import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/**
 * A client's address as rate limits should see it: the connection's peer, or, when that peer is
 * a trusted proxy (TRUST_PROXY), the address it forwarded. The same rule Express applies to REST
 * (`trust proxy`), so a socket and a request from one client count alike.
 */
export function clientAddressOf(trust: readonly string[]): (req: IncomingMessage) => string {
  const trusted = proxyaddr.compile([...trust]);
  return (req) => {
    try {
      return proxyaddr(req, trusted);
    } catch {
      return req.socket.remoteAddress ?? 'unknown';
    }
  };
}
