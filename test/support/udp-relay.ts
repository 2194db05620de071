import dgram from 'node:dgram';

/**
 * A UDP "network" between browsers and mediasoup, for fault tests where iptables is not available:
 * mediasoup listens on `back` (127.0.0.1) and announces `front` (127.0.0.2) in its ICE candidates;
 * this relay listens on `front` at the same ports and passes every datagram both ways. `block()`
 * drops everything, as a dead Wi-Fi or a firewall would; `unblock()` lets it through again.
 * (mediasoup's TCP candidates point at `front` too, where nothing listens: UDP is the only path.)
 */
export class UdpRelay {
  private readonly fronts: dgram.Socket[] = [];
  private readonly uplinks = new Map<string, dgram.Socket>();
  private blocked = false;
  /** Datagrams passed and dropped (both directions), for the test's report. */
  readonly counts = { passed: 0, dropped: 0 };

  constructor(
    private readonly front: string,
    private readonly back: string,
    private readonly ports: { min: number; max: number },
  ) {}

  async start(): Promise<void> {
    for (let port = this.ports.min; port <= this.ports.max; port++) {
      const sock = dgram.createSocket('udp4');
      await new Promise<void>((resolve, reject) => {
        sock.once('error', reject);
        sock.bind(port, this.front, () => resolve());
      });
      sock.on('message', (msg, from) => this.fromBrowser(sock, port, msg, from));
      this.fronts.push(sock);
    }
  }

  private fromBrowser(front: dgram.Socket, port: number, msg: Buffer, from: dgram.RemoteInfo): void {
    if (this.blocked) return void this.counts.dropped++;
    const key = `${from.address}:${from.port}>${port}`;
    let uplink = this.uplinks.get(key);
    if (!uplink) {
      // One uplink socket per browser address and port: mediasoup sees one stable 5-tuple each.
      const up = dgram.createSocket('udp4');
      up.bind(0, this.back);
      up.on('message', (reply) => {
        if (this.blocked) return void this.counts.dropped++;
        this.counts.passed++;
        front.send(reply, from.port, from.address);
      });
      this.uplinks.set(key, (uplink = up));
    }
    this.counts.passed++;
    uplink.send(msg, port, this.back);
  }

  block(): void {
    this.blocked = true;
  }

  unblock(): void {
    this.blocked = false;
  }

  close(): void {
    for (const s of [...this.fronts, ...this.uplinks.values()]) s.close();
    this.fronts.length = 0;
    this.uplinks.clear();
  }
}
