import { EventEmitter } from 'node:events';
import * as mediasoup from 'mediasoup';
import type { types as ms } from 'mediasoup';
import type { Logger } from '../logger.js';

export interface WorkerPoolOptions {
  size: number;
  workerBin: string | undefined;
  rtcMinPort: number;
  rtcMaxPort: number;
  logger: Logger;
}

interface PooledWorker {
  worker: ms.Worker;
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
    await Promise.all(Array.from({ length: opts.size }, () => pool.spawn()));
    return pool;
  }

  get size(): number {
    return this.workers.length;
  }

  private async spawn(): Promise<void> {
    const worker = await mediasoup.createWorker({
      logLevel: 'warn',
      rtcMinPort: this.opts.rtcMinPort,
      rtcMaxPort: this.opts.rtcMaxPort,
      ...(this.opts.workerBin ? { workerBin: this.opts.workerBin } : {}),
    });
    const entry: PooledWorker = { worker, routers: 0, producers: 0, consumers: 0 };
    this.workers.push(entry);
    worker.on('died', (err) => {
      const i = this.workers.indexOf(entry);
      if (i >= 0) this.workers.splice(i, 1);
      this.opts.logger.error({ pid: worker.pid, err: err.message }, 'mediasoup worker died; replacing it');
      this.emit('worker-died', worker);
      if (!this.closed) {
        this.spawn().catch((e: Error) => this.opts.logger.fatal({ err: e.message }, 'could not replace mediasoup worker'));
      }
    });
    this.opts.logger.debug({ pid: worker.pid }, 'mediasoup worker started');
  }

  /** Creates a router on the worker carrying the fewest routers. */
  async createRouter(mediaCodecs: ms.RouterRtpCodecCapability[]): Promise<ms.Router> {
    const entry = [...this.workers].sort((a, b) => a.routers - b.routers)[0];
    if (!entry) throw new Error('no mediasoup worker available');
    const router = await entry.worker.createRouter({ mediaCodecs });
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

  pids(): number[] {
    return this.workers.map((w) => w.worker.pid);
  }
}
