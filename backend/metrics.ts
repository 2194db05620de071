import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the metrics read at scrape time (nothing is polled in between). */
export interface MetricsSources {
  liveClasses(): { classes: number; participants: number };
  workers(): Promise<Array<{ pid: number; routers: number; producers: number; consumers: number; cpuSeconds: number }>>;
  hlsViewers(): Promise<number>;
  /** Live nodes as this node sees them (1 alone). */
  clusterNodes?(): Promise<number>;
}

/**
 * The backend's Prometheus metrics (prom-client), one registry per server: gauges read when
 * scraped, counters and histograms fed where things happen (socket requests, errors, joins, chat).
 * Exposed at `/metrics`.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly socketRequests: Counter<'event' | 'outcome'>;
  readonly errors: Counter<'code' | 'surface'>;
  readonly joinSeconds: Histogram;
  readonly chatDeliverySeconds: Histogram;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'fitlive_' });
    new Gauge({
      name: 'fitlive_classes',
      help: 'Classes live on this node',
      registers,
      collect() {
        this.set(sources.liveClasses().classes);
      },
    });
    new Gauge({
      name: 'fitlive_participants',
      help: 'People seated in live classes on this node',
      registers,
      collect() {
        this.set(sources.liveClasses().participants);
      },
    });
    const perWorker = (name: string, help: string, pick: (w: Awaited<ReturnType<MetricsSources['workers']>>[number]) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['worker'],
        registers,
        async collect() {
          this.reset();
          for (const w of await sources.workers()) this.set({ worker: String(w.pid) }, pick(w));
        },
      });
    perWorker('fitlive_worker_routers', 'Routers (classes) per mediasoup worker', (w) => w.routers);
    perWorker('fitlive_worker_producers', 'Producers (published tracks) per mediasoup worker', (w) => w.producers);
    perWorker('fitlive_worker_consumers', 'Consumers (received tracks) per mediasoup worker', (w) => w.consumers);
    perWorker('fitlive_worker_cpu_seconds_total', 'CPU time used by each mediasoup worker (user + system)', (w) => w.cpuSeconds);
    new Gauge({
      name: 'fitlive_hls_viewers',
      help: 'Viewers watching live broadcasts (heartbeats in the last 30 s)',
      registers,
      async collect() {
        this.set(await sources.hlsViewers().catch(() => 0));
      },
    });
    new Gauge({
      name: 'fitlive_cluster_nodes',
      help: 'Live backend nodes as this node sees them (heartbeats in Redis; 1 without REDIS_URL)',
      registers,
      async collect() {
        this.set(sources.clusterNodes ? await sources.clusterNodes().catch(() => 0) : 1);
      },
    });
    this.socketRequests = new Counter({ name: 'fitlive_socket_requests_total', help: 'Socket requests by message and outcome (ok or error code)', labelNames: ['event', 'outcome'], registers });
    this.errors = new Counter({ name: 'fitlive_errors_total', help: 'Errors answered, by stable code and where (socket, http)', labelNames: ['code', 'surface'], registers });
    this.joinSeconds = new Histogram({ name: 'fitlive_join_seconds', help: 'room:join handling time', buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers });
    this.chatDeliverySeconds = new Histogram({
      name: 'fitlive_chat_delivery_seconds',
      help: 'chat:send received → stored and sent to the class',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
  }

  /** One socket request answered: `outcome` is `ok` or the error code. */
  request(event: string, outcome: string, seconds: number): void {
    this.socketRequests.inc({ event, outcome });
    if (outcome !== 'ok') this.errors.inc({ code: outcome, surface: 'socket' });
    if (outcome === 'ok' && event === 'room:join') this.joinSeconds.observe(seconds);
    if (outcome === 'ok' && (event === 'chat:send' || event === 'viewer chat:send')) this.chatDeliverySeconds.observe(seconds);
  }
}
