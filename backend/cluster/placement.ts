import crypto from 'node:crypto';

/** A live backend node as the others see it (its heartbeat). */
export interface NodeInfo {
  id: string;
  /** Where browsers reach this node directly (its own public URL, not the load balancer's). */
  url: string;
  /** mediasoup workers (≈ cores given to media). */
  workers: number;
  /** People seated in classes on this node, and those classes. */
  participants: number;
  classes: number;
  /** A node shutting down takes no new classes. */
  draining: boolean;
}

/** People one worker carries before a node counts as loaded (video consumers grow with their square). */
export const PARTICIPANTS_PER_WORKER = 100;

/**
 * How much new work a node should attract: proportional to its workers, falling as they fill.
 * A draining node attracts none.
 */
export function nodeWeight(node: Pick<NodeInfo, 'workers' | 'participants' | 'draining'>): number {
  if (node.draining) return 0;
  const workers = Math.max(1, node.workers);
  return workers / (1 + node.participants / (PARTICIPANTS_PER_WORKER * workers));
}

/** A uniform number in (0, 1) from a key and a node id: the same on every node. */
function unitHash(key: string, nodeId: string): number {
  const h = crypto.createHash('sha256').update(key).update('\0').update(nodeId).digest();
  // 52 bits of the hash, kept away from 0 and 1 (ln would blow up).
  const n = h.readUIntBE(0, 6) * 16 + (h[6]! >> 4);
  return (n + 0.5) / 2 ** 52;
}

/**
 * Weighted rendezvous (highest random weight) hashing: every node scores the key, the highest
 * score wins. Any node computes the same answer from the same list; adding or removing a node
 * moves only the keys that node wins or held; a node of weight 2w wins twice as often as one of
 * w. Score = -w / ln(u) (Schindelhauer & Schomaker's logarithmic method).
 */
export function pickNode<T extends Pick<NodeInfo, 'id'>>(key: string, nodes: readonly T[], weight: (node: T) => number): T | undefined {
  let best: T | undefined;
  let bestScore = -Infinity;
  for (const node of nodes) {
    const w = weight(node);
    if (!(w > 0)) continue;
    const score = -w / Math.log(unitHash(key, node.id));
    // Ties (practically impossible) go to the smaller id, so every node still agrees.
    if (score > bestScore || (score === bestScore && best && node.id < best.id)) {
      best = node;
      bestScore = score;
    }
  }
  return best;
}
