import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { envSchema, loadConfig } from '../../backend/config.js';

/*
 * The deploy files (Dockerfile, compose.yaml, docs/scaling.md) are not run by any test (no Docker
 * here), so they are checked against the backend they deploy: the variables compose sets must be
 * ones the backend reads, with values it accepts.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

interface Service {
  name: string;
  lines: string[];
  env: Map<string, string>;
}

const indentOf = (line: string) => line.length - line.trimStart().length;
const meaningful = (line: string) => line.trim() !== '' && !line.trimStart().startsWith('#');
const unquote = (v: string) => (/^(["']).*\1$/.test(v) ? v.slice(1, -1) : v);

/** The services of compose.yaml (two-space indentation), each with its `environment:` entries. */
function composeServices(text: string): Service[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^services:\s*$/.test(l));
  assert.ok(start >= 0, 'compose.yaml has a services: section');
  const services: Service[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (meaningful(line) && indentOf(line) === 0) break;
    const head = /^ {2}([A-Za-z0-9_.-]+):\s*$/.exec(line);
    if (head) services.push({ name: head[1]!, lines: [], env: new Map() });
    else if (services.length) services.at(-1)!.lines.push(line);
  }
  for (const service of services) {
    const at = service.lines.findIndex((l) => /^ {4}environment:\s*$/.test(l));
    if (at < 0) continue;
    for (const line of service.lines.slice(at + 1)) {
      if (!meaningful(line)) continue;
      if (indentOf(line) <= 4) break;
      const entry = /^\s+([A-Za-z_][A-Za-z0-9_]*):\s*(.*?)\s*$/.exec(line) ?? /^\s+-\s+([A-Za-z_][A-Za-z0-9_]*)=(.*?)\s*$/.exec(line);
      assert.ok(entry, `cannot read the environment line ${JSON.stringify(line)} of ${service.name}`);
      service.env.set(entry[1]!, unquote(entry[2]!));
    }
  }
  return services;
}

/** Compose's interpolation as a deployer who set the required variables would get it. */
function interpolate(value: string): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([-?])([^}]*))?\}/g, (whole, name: string, op: string | undefined, arg: string) => {
    if (op === '-') return arg;
    if (op === '?') return 'x'.repeat(40);
    assert.fail(`${whole}: give ${name} a default (\${${name}:-…}) or require it (\${${name}:?…})`);
  });
}

const services = composeServices(read('compose.yaml'));
const nodes = services.filter((s) => s.lines.some((l) => /^\s+<<:\s*\*fitlive-node\s*$/.test(l)));
const nodeEnv = (s: Service) => Object.fromEntries([...s.env].map(([k, v]) => [k, interpolate(v)]));

test('compose.yaml runs two FitLive nodes next to Postgres and Redis', () => {
  assert.deepEqual(nodes.map((n) => n.name), ['node-1', 'node-2']);
  const names = services.map((s) => s.name);
  assert.ok(names.includes('postgres') && names.includes('redis'), `services: ${names.join(', ')}`);
  for (const node of nodes) assert.ok(node.env.size > 0, `${node.name} has environment entries`);
});

test('every variable compose sets on a node is one the backend reads', () => {
  const shape = (envSchema as unknown as { shape?: Record<string, unknown> }).shape ?? (envSchema as unknown as { def?: { shape?: Record<string, unknown> } }).def?.shape ?? {};
  const known = new Set(Object.keys(shape));
  assert.ok(known.has('REDIS_URL') && known.has('NODE_ID'), 'the config schema keys are readable');
  for (const node of nodes) {
    for (const name of node.env.keys()) assert.ok(known.has(name), `${node.name} sets ${name}, which backend/config.ts does not know`);
  }
});

test("each node's environment passes the backend's configuration checks", () => {
  for (const node of nodes) {
    const env = nodeEnv(node);
    const config = loadConfig(env);
    assert.ok(config.cluster.redisUrl, `${node.name} joins a cluster`);
    assert.ok(config.databaseUrl, `${node.name} uses the shared Postgres`);
    assert.ok(config.hls.linkSecret && config.files.linkSecret, `${node.name} has both link secrets`);
  }
  // Shared by every node: the same database, Redis, storage and link secrets.
  const [a, b] = nodes.map(nodeEnv);
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'HLS_DIR', 'FILES_DIR', 'HLS_LINK_SECRET', 'FILE_LINK_SECRET']) {
    assert.equal(a![name], b![name], `${name} is the same on both nodes`);
  }
});

test('the nodes have distinct names, URLs and media ports, and publish what they listen on', () => {
  const envs = nodes.map(nodeEnv);
  for (const name of ['NODE_ID', 'NODE_URL', 'RTC_WEBRTC_SERVER_PORT']) {
    const values = envs.map((e) => e[name]);
    assert.ok(values.every(Boolean), `every node sets ${name}`);
    assert.equal(new Set(values).size, values.length, `${name} differs between nodes: ${values.join(', ')}`);
  }
  nodes.forEach((node, i) => {
    const config = loadConfig(envs[i]!);
    const published = node.lines.map((l) => /^\s+-\s+"?(\d+)(?:-(\d+))?:(\d+)(?:-(\d+))?(?:\/(udp|tcp))?"?\s*$/.exec(l)).filter((m) => m !== null);
    // The HTTP port is published on the port NODE_URL names.
    const http = published.find((m) => Number(m[3]) === config.port && !m[5]);
    assert.ok(http, `${node.name} publishes its HTTP port ${config.port}`);
    assert.equal(new URL(config.cluster.nodeUrl!).port, http[1], `${node.name}'s NODE_URL uses its published port`);
    // Worker i listens on RTC_WEBRTC_SERVER_PORT + i, UDP and TCP.
    const first = config.rtc.webRtcServer.port!;
    const last = first + config.rtc.workers - 1;
    for (const protocol of ['udp', 'tcp']) {
      const range = published.find((m) => m[5] === protocol);
      assert.ok(range, `${node.name} publishes its ${protocol} media ports`);
      assert.deepEqual([range[1], range[2] ?? range[1], range[3], range[4] ?? range[3]].map(Number), [first, last, first, last], `${node.name} publishes ${first}-${last}/${protocol}`);
    }
  });
});

test('the Dockerfile installs from the lock file and runs unprivileged', () => {
  const dockerfile = read('Dockerfile');
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((l) => meaningful(l));
  const text = instructions.join('\n');
  assert.doesNotMatch(text, /\bnpm\s+(install|i|add)\b/, 'npm ci only');
  assert.match(text, /\bnpm\s+ci\b/);
  const users = instructions.map((l) => /^\s*USER\s+(\S+)/i.exec(l)?.[1]).filter((u): u is string => !!u);
  assert.ok(users.length > 0, 'a USER instruction');
  assert.doesNotMatch(users.at(-1)!, /^(root|0)(:.*)?$/, 'the final user is not root');
  const lastFrom = instructions.findLastIndex((l) => /^\s*FROM\s/i.test(l));
  const lastUser = instructions.findLastIndex((l) => /^\s*USER\s/i.test(l));
  assert.ok(lastUser > lastFrom, 'the runtime stage sets its user');
  assert.match(text, /^\s*EXPOSE\s+8080\b/m);
  assert.match(text, /^\s*HEALTHCHECK\b.*\/readyz/m);
});

test('docs/scaling.md covers the cluster settings', () => {
  const doc = read('docs/scaling.md');
  for (const name of ['REDIS_URL', 'NODE_ID', 'NODE_URL', 'NODE_TTL_MS', 'RTC_CONSUMERS_PER_ROUTER', 'RTC_WEBRTC_SERVER_PORT', 'SENTRY_DSN', 'HLS_LINK_SECRET', 'FILE_LINK_SECRET', 'RTC_ANNOUNCED_ADDRESS']) {
    assert.ok(doc.includes(name), `docs/scaling.md mentions ${name}`);
  }
});
