import { EventEmitter } from 'node:events';
import * as mediasoup from 'mediasoup';
import type { types as ms } from 'mediasoup';
import type { Logger } from '../logger.js';

export interface WorkerPoolOptions {
  size: number;
  workerBin: string | undefined;
  rtcMinPort: number;
  rtcMaxPort: number;
  /**
   * One WebRtcServer per worker: all of that worker's WebRTC transports share one UDP and one TCP
   * port (firewalls and load balancers then need a port per worker, not a range). `port` + i for
   * worker i, else any free port of the RTC range.
   */
  webRtcServer?: { listenIp: string; announcedAddress: string; port: number | undefined } | undefined;
  logger: Logger;
}

interface PooledWorker {
  worker: ms.Worker;
  webRtcServer: ms.WebRtcServer | undefined;
  /** Routers placed on this worker: the load measure used to pick one. */
  routers: number;
  /** Live producers and consumers on its routers (metrics). */
  producers: number;
  consumers: number;
}

/**
 * One mediasoup worker per core. A worker that dies is replaced (and reported through the
 * 'worker-died' event so the classes it carried can react); routers go to the least-loaded one.
 */
export class WorkerPool extends EventEmitter<{ 'worker-died': [ms.Worker] }> {
  private readonly workers: PooledWorker[] = [];
  private closed = false;

  private constructor(private readonly opts: WorkerPoolOptions) {
    super();
  }

  static async create(opts: WorkerPoolOptions): Promise<WorkerPool> {
    const pool = new WorkerPool(opts);
    await Promise.all(Array.from({ length: opts.size }, (_, i) => pool.spawn(i)));
    return pool;
  }

  get size(): number {
    return this.workers.length;
  }

  private async spawn(index: number): Promise<void> {
    const worker = await mediasoup.createWorker({
      logLevel: 'warn',
      rtcMinPort: this.opts.rtcMinPort,
      rtcMaxPort: this.opts.rtcMaxPort,
      ...(this.opts.workerBin ? { workerBin: this.opts.workerBin } : {}),
    });
    let webRtcServer: ms.WebRtcServer | undefined;
    const w = this.opts.webRtcServer;
    if (w) {
      // A replacement worker takes the port of the one it replaces (index is kept).
      const where = w.port !== undefined ? { port: w.port + index } : { portRange: { min: this.opts.rtcMinPort, max: this.opts.rtcMaxPort } };
      const listen = { ip: w.listenIp, announcedAddress: w.announcedAddress, ...where };
      try {
        webRtcServer = await worker.createWebRtcServer({ listenInfos: [{ protocol: 'udp', ...listen }, { protocol: 'tcp', ...listen }] });
      } catch (err) {
        worker.close();
        throw new Error(`WebRtcServer of worker ${index} could not listen (${JSON.stringify(where)}): ${(err as Error).message}`);
      }
    }
    const entry: PooledWorker = { worker, webRtcServer, routers: 0, producers: 0, consumers: 0 };
    (worker.appData as { index?: number }).index = index;
    this.workers.push(entry);
    worker.on('died', (err) => {
      const i = this.workers.indexOf(entry);
      if (i >= 0) this.workers.splice(i, 1);
      this.opts.logger.error({ pid: worker.pid, err: err.message }, 'mediasoup worker died; replacing it');
      this.emit('worker-died', worker);
      if (!this.closed) {
        this.spawn((worker.appData as { index?: number }).index ?? 0).catch((e: Error) => this.opts.logger.fatal({ err: e.message }, 'could not replace mediasoup worker'));
      }
    });
    this.opts.logger.debug({ pid: worker.pid }, 'mediasoup worker started');
  }

  /**
   * Creates a router on the least-loaded worker (fewest consumers, then fewest routers), not on
   * the workers in `avoid` (pids). The router's appData carries its worker's pid and WebRtcServer.
   */
  async createRouter(mediaCodecs: ms.RouterRtpCodecCapability[], opts: { avoid?: readonly number[] } = {}): Promise<ms.Router> {
    const candidates = opts.avoid ? this.workers.filter((w) => !opts.avoid!.includes(w.worker.pid)) : this.workers;
    const entry = [...candidates].sort((a, b) => a.consumers - b.consumers || a.routers - b.routers)[0];
    if (!entry) throw new Error('no mediasoup worker available');
    const router = await entry.worker.createRouter({ mediaCodecs, appData: { workerPid: entry.worker.pid, webRtcServer: entry.webRtcServer } });
    entry.routers++;
    router.observer.once('close', () => entry.routers--);
    // Counted through observers: nothing on the RTP path, only on creation and close.
    router.observer.on('newtransport', (transport) => {
      transport.observer.on('newproducer', (producer) => {
        entry.producers++;
        producer.observer.once('close', () => entry.producers--);
      });
      transport.observer.on('newconsumer', (consumer) => {
        entry.consumers++;
        consumer.observer.once('close', () => entry.consumers--);
      });
    });
    return router;
  }

  /** Per worker: routers, producers, consumers and CPU time so far (for /metrics). */
  async stats(): Promise<Array<{ pid: number; routers: number; producers: number; consumers: number; cpuSeconds: number }>> {
    return Promise.all(
      this.workers.map(async ({ worker, routers, producers, consumers }) => {
        const ru = await worker.getResourceUsage().catch(() => undefined);
        return { pid: worker.pid, routers, producers, consumers, cpuSeconds: ru ? (ru.ru_utime + ru.ru_stime) / 1000 : 0 };
      }),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const { worker } of this.workers.splice(0)) worker.close();
  }

  /** Whether some worker is not in `pids` (a class spreads to a worker it is not on yet). */
  hasWorkerOutside(pids: readonly number[]): boolean {
    return this.workers.some((w) => !pids.includes(w.worker.pid));
  }

  pids(): number[] {
    return this.workers.map((w) => w.worker.pid);
  }
}
