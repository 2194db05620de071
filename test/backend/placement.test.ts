import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nodeWeight, pickNode, PARTICIPANTS_PER_WORKER } from '../../backend/cluster/placement.js';

const keys = Array.from({ length: 6000 }, (_, i) => `class-${i}`);
const even = () => 1;

test('the same nodes give the same answer, in any order', () => {
  const nodes = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
  for (const k of keys.slice(0, 200)) assert.equal(pickNode(k, nodes, even)?.id, pickNode(k, [...nodes].reverse(), even)?.id);
});

test('keys spread in proportion to weight', () => {
  const nodes = [{ id: 'small', w: 1 }, { id: 'big', w: 2 }];
  const count = { small: 0, big: 0 } as Record<string, number>;
  for (const k of keys) count[pickNode(k, nodes, (n) => n.w)!.id]!++;
  const share = count.big! / keys.length;
  assert.ok(Math.abs(share - 2 / 3) < 0.03, `big node takes ${(share * 100).toFixed(1)} % (expected ~66.7 %)`);
});

test('a node leaving moves only its own keys; a node joining takes keys only for itself', () => {
  const three = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
  const two = three.filter((n) => n.id !== 'c');
  let moved = 0;
  for (const k of keys) {
    const before = pickNode(k, three, even)!.id;
    const after = pickNode(k, two, even)!.id;
    if (before !== 'c') assert.equal(after, before, `${k} stayed`);
    else moved++;
  }
  assert.ok(Math.abs(moved / keys.length - 1 / 3) < 0.03);
  for (const k of keys) {
    const after = pickNode(k, three, even)!.id;
    if (after !== 'c') assert.equal(after, pickNode(k, two, even)!.id);
  }
});

test('a draining or full-weightless node gets nothing; no node, no answer', () => {
  const nodes = [
    { id: 'a', workers: 2, participants: 0, draining: true },
    { id: 'b', workers: 2, participants: 0, draining: false },
  ];
  for (const k of keys.slice(0, 100)) assert.equal(pickNode(k, nodes, nodeWeight)!.id, 'b');
  assert.equal(pickNode('x', [], nodeWeight), undefined);
  assert.equal(nodeWeight({ workers: 4, participants: 0, draining: true }), 0);
});

test('weight grows with workers and falls as they fill', () => {
  assert.equal(nodeWeight({ workers: 2, participants: 0, draining: false }), 2 * nodeWeight({ workers: 1, participants: 0, draining: false }));
  assert.ok(nodeWeight({ workers: 2, participants: 100, draining: false }) < nodeWeight({ workers: 2, participants: 10, draining: false }));
  // Full to the rule of thumb: half the weight of an idle node of the same size.
  assert.equal(nodeWeight({ workers: 2, participants: 2 * PARTICIPANTS_PER_WORKER, draining: false }), 1);
});

test('the widget follows a wrong_node redirect only to http(s), and never from https down to http', async () => {
  const { nodeUrl } = await import('../../widget/room/signaling-client.js');
  assert.equal(nodeUrl('https://node-2.example.com:8443', 'https://live.example.com'), 'https://node-2.example.com:8443/');
  assert.equal(nodeUrl('http://node-2.example.com', 'https://live.example.com'), undefined);
  assert.equal(nodeUrl('http://127.0.0.1:8082', 'http://127.0.0.1:8081'), 'http://127.0.0.1:8082/');
  for (const bad of ['javascript:alert(1)', 'ws://node', 'not a url', 42, undefined]) assert.equal(nodeUrl(bad, 'http://a'), undefined);
});
