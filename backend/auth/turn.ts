import crypto from 'node:crypto';

/** What a browser's RTCPeerConnection takes as `iceServers`. */
export interface IceServer {
  urls: string[];
  username?: string;
  credential?: string;
}

export interface IceSettings {
  stunUrls: string[];
  turnUrls: string[];
  /** coturn's `static-auth-secret` (the TURN REST API convention). */
  turnSecret: string | undefined;
  /** `relay`: browsers send media only through TURN. */
  transportPolicy: 'all' | 'relay';
}

/**
 * ICE servers for one seat. TURN credentials follow the TURN REST API convention coturn and
 * most TURN services accept: the user name is `<expiry unix s>:<who>`, the password the
 * base64 HMAC-SHA1 of the user name under the shared secret. They expire with the seat's join
 * token, so a leaked pair is only good as long as the seat itself.
 */
export function iceServersFor(settings: IceSettings, who: string, expiresAtUnix: number): IceServer[] {
  const servers: IceServer[] = [];
  if (settings.stunUrls.length) servers.push({ urls: settings.stunUrls });
  if (settings.turnUrls.length && settings.turnSecret) {
    const username = `${expiresAtUnix}:${who}`;
    const credential = crypto.createHmac('sha1', settings.turnSecret).update(username).digest('base64');
    servers.push({ urls: settings.turnUrls, username, credential });
  }
  return servers;
}
