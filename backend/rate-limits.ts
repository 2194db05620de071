import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';

/**
 * Makes the per-address limits (joins, failed authentications, token minting). Alone, counters
 * live in memory; with several nodes they live in Redis, so a client gets the same allowance
 * whichever node the load balancer picks (and not one per node). If Redis stops answering, each
 * node falls back to its own memory counters rather than refusing everyone.
 */
export type LimiterFactory = (name: string, opts: { points: number; duration: number }) => RateLimiterAbstract;

export const memoryLimiters: LimiterFactory = (_name, opts) => new RateLimiterMemory(opts);

export function redisLimiters(client: unknown): LimiterFactory {
  return (name, opts) =>
    new RateLimiterRedis({
      storeClient: client,
      useRedisPackage: true,
      keyPrefix: `fitlive:rl:${name}`,
      ...opts,
      insuranceLimiter: new RateLimiterMemory(opts),
    });
}
