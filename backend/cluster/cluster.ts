import crypto from 'node:crypto';
import os from 'node:os';
import { createClient } from 'redis';
import type { Logger } from '../logger.js';
import { nodeWeight, pickNode, type NodeInfo } from './placement.js';

/** What this node reports about itself on each heartbeat. */
export type NodeLoad = Pick<NodeInfo, 'participants' | 'classes'>;

/**
 * Where classes run. One node alone owns every class; with Redis, nodes announce themselves with
 * a heartbeat and each class is placed on one live node, the same answer on every node.
 */
export interface Cluster {
  readonly nodeId: string;
  readonly url: string;
  /** True when several nodes may share the work (Redis is configured). */
  readonly shared: boolean;
  /** The node that runs a class: its current owner while alive, else a new pick (kept from then on). */
  place(classId: string): Promise<NodeInfo>;
  /** The class closed here: let the next opening pick afresh (with the load of that moment). */
  release(classId: string): Promise<void>;
  /** Live nodes, as the last heartbeats say. */
  nodes(): Promise<NodeInfo[]>;
  /** Stop taking classes, drop this node's placements and heartbeat (clients move at once). */
  close(): Promise<void>;
}

export interface ClusterOptions {
  nodeId?: string | undefined;
  url: string;
  workers: number;
  load: () => NodeLoad;
  logger: Logger;
}

/** The whole cluster is this process (no REDIS_URL). */
export class SingleNode implements Cluster {
  readonly shared = false;
  readonly nodeId: string;
  readonly url: string;
  constructor(private readonly opts: ClusterOptions) {
    this.nodeId = opts.nodeId ?? defaultNodeId();
    this.url = opts.url;
  }
  private info(): NodeInfo {
    return { id: this.nodeId, url: this.url, workers: this.opts.workers, draining: false, ...this.opts.load() };
  }
  async place(): Promise<NodeInfo> {
    return this.info();
  }
  async release(): Promise<void> {}
  async nodes(): Promise<NodeInfo[]> {
    return [this.info()];
  }
  async close(): Promise<void> {}
}

export const defaultNodeId = () => `${os.hostname()}-${process.pid}-${crypto.randomBytes(3).toString('hex')}`;

type Redis = ReturnType<typeof createClient>;

const NODES = 'fitlive:nodes';
const nodeKey = (id: string) => `fitlive:node:${id}`;
const placementKey = (classId: string) => `fitlive:class:${classId}:node`;

// Compare-and-set: the first node to write a placement wins; a dead owner is replaced only once.
const CAS = `local cur = redis.call('GET', KEYS[1])
if (not cur and ARGV[1] == '') or cur == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2]) return ARGV[2] end
return cur`;
const DELETE_IF = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * Nodes sharing Redis. Each writes its heartbeat (id, URL, load) to a key that expires after
 * `ttlMs`: a node that dies simply stops existing for the others, with Redis's clock, not ours.
 * A class's owner is stored under its own key, set by compare-and-set, so two nodes placing the
 * same class at once agree on one answer.
 */
export class RedisCluster implements Cluster {
  readonly shared = true;
  readonly nodeId: string;
  readonly url: string;
  private heartbeat: NodeJS.Timeout | undefined;
  private draining = false;
  private cached: { at: number; nodes: NodeInfo[] } | undefined;
  private readonly mine = new Set<string>();

  private constructor(
    private readonly redis: Redis,
    private readonly opts: ClusterOptions & { ttlMs: number },
  ) {
    this.nodeId = opts.nodeId ?? defaultNodeId();
    this.url = opts.url;
  }

  static async connect(redisUrl: string, opts: ClusterOptions & { ttlMs: number }): Promise<RedisCluster> {
    const redis: Redis = createClient({ url: redisUrl });
    redis.on('error', (err: Error) => opts.logger.error({ err: err.message }, 'redis (cluster) error'));
    await redis.connect();
    const cluster = new RedisCluster(redis, opts);
    await cluster.beat();
    cluster.heartbeat = setInterval(() => void cluster.beat().catch((err: Error) => opts.logger.warn({ err: err.message }, 'heartbeat failed')), Math.max(200, Math.floor(opts.ttlMs / 3)));
    cluster.heartbeat.unref();
    opts.logger.info({ nodeId: cluster.nodeId, url: cluster.url }, 'joined the cluster');
    return cluster;
  }

  private self(): NodeInfo {
    return { id: this.nodeId, url: this.url, workers: this.opts.workers, draining: this.draining, ...this.opts.load() };
  }

  private async beat(): Promise<void> {
    await this.redis.multi().set(nodeKey(this.nodeId), JSON.stringify(this.self()), { PX: this.opts.ttlMs }).sAdd(NODES, this.nodeId).exec();
  }

  async nodes(): Promise<NodeInfo[]> {
    // Placements for a join storm would otherwise read every heartbeat per join.
    if (this.cached && Date.now() - this.cached.at < Math.min(1000, this.opts.ttlMs / 3)) return this.cached.nodes;
    const ids = await this.redis.sMembers(NODES);
    const values = ids.length ? await this.redis.mGet(ids.map(nodeKey)) : [];
    const nodes: NodeInfo[] = [];
    const gone: string[] = [];
    values.forEach((v, i) => (v ? nodes.push(JSON.parse(v) as NodeInfo) : gone.push(ids[i]!)));
    if (gone.length) await this.redis.sRem(NODES, gone);
    this.cached = { at: Date.now(), nodes };
    return nodes;
  }

  async place(classId: string): Promise<NodeInfo> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const [owner, nodes] = await Promise.all([this.redis.get(placementKey(classId)), this.nodes()]);
      const alive = owner ? nodes.find((n) => n.id === owner) : undefined;
      if (alive) return this.noteMine(classId, alive);
      if (owner) this.cached = undefined; // read the heartbeats afresh before replacing an owner
      const fresh = owner ? await this.nodes() : nodes;
      if (owner && fresh.some((n) => n.id === owner)) continue;
      const pick = pickNode(classId, fresh, nodeWeight);
      if (!pick) break;
      const winner = String(await this.redis.eval(CAS, { keys: [placementKey(classId)], arguments: [owner ?? '', pick.id] }));
      const won = fresh.find((n) => n.id === winner);
      if (won) {
        if (owner) this.opts.logger.warn({ classId, from: owner, to: winner }, 'class re-placed (its node is gone)');
        return this.noteMine(classId, won);
      }
    }
    throw new Error('no live node can take the class');
  }

  private noteMine(classId: string, node: NodeInfo): NodeInfo {
    if (node.id === this.nodeId) this.mine.add(classId);
    return node;
  }

  async release(classId: string): Promise<void> {
    this.mine.delete(classId);
    await this.redis.eval(DELETE_IF, { keys: [placementKey(classId)], arguments: [this.nodeId] });
  }

  async close(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    this.draining = true;
    try {
      for (const classId of [...this.mine]) await this.release(classId);
      await this.redis.multi().del(nodeKey(this.nodeId)).sRem(NODES, this.nodeId).exec();
    } catch (err) {
      this.opts.logger.warn({ err: (err as Error).message }, 'could not leave the cluster cleanly');
    }
    await this.redis.close().catch(() => undefined);
  }
}
