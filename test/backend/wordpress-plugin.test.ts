// The WordPress plugin (integrations/wordpress/): every PHP file parses, its own PHP unit tests
// pass (WordPress stubbed), and its client mints a real token from the real backend through PHP
// streams, the token verified by the backend's own check. Needs Debian's php-cli
// (scripts/install-system-deps.sh --test installs it).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { makeApiKey } from '../../backend/auth/api-keys.js';
import { verifyJoinToken } from '../../backend/auth/join-token.js';
import { verifyViewerToken } from '../../backend/auth/viewer-token.js';
import type { RunningServer } from '../../backend/main.js';
import { DEMO_CLASS_ID, DEMO_CLUB_ID, DEMO_STREAM_ID } from '../../backend/store/seed.js';
import { startBackend } from '../support/backend.js';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const wordpress = path.join(root, 'integrations/wordpress');

function phpFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? phpFiles(p) : e.name.endsWith('.php') ? [p] : [];
  });
}

test('WordPress plugin: every .php file parses (php -l)', async () => {
  const files = phpFiles(wordpress);
  for (const f of ['fitlive/fitlive.php', 'fitlive/uninstall.php', 'fitlive/includes/class-fitlive-client.php', 'tests/run.php']) {
    assert.ok(files.includes(path.join(wordpress, f)), `${f} exists`);
  }
  for (const file of files) {
    const { stdout } = await run('php', ['-l', file]).catch((err: { stdout?: string; stderr?: string }) => {
      assert.fail(`php -l ${path.relative(root, file)}: ${err.stdout ?? ''}${err.stderr ?? ''}`);
    });
    assert.match(stdout, /No syntax errors/, path.relative(root, file));
  }
});

test('WordPress plugin: its PHP unit tests pass (php integrations/wordpress/tests/run.php)', async () => {
  const out = await run('php', [path.join(wordpress, 'tests/run.php')], { cwd: root }).catch((err: { code?: number; stdout?: string; stderr?: string }) => {
    assert.fail(`exit ${err.code}:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  });
  assert.match(out.stdout, /^all \d+ passed$/m, out.stdout);
  assert.doesNotMatch(out.stdout, /^FAIL/m);
});

describe('WordPress plugin against the real backend', () => {
  let server: RunningServer;
  let apiKey: string;
  let secret: string;
  let dir: string;

  before(async () => {
    server = await startBackend();
    const k = makeApiKey();
    await server.repos.apiKeys.add({ id: k.id, clubId: DEMO_CLUB_ID, secretHash: k.secretHash, label: 'wordpress test' });
    apiKey = k.key;
    secret = (await server.repos.clubs.get(DEMO_CLUB_ID))!.joinSecret;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitlive-wp-'));
  });
  after(async () => {
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Runs the plugin's client (WordPress stubbed, HTTP through PHP streams) as a PHP script: it
   * mints a token for one person and prints the element's HTML, or the visitor's notice. Async:
   * the backend answers from this very process. The key reaches PHP through its environment only.
   */
  async function mint(kind: 'class' | 'stream', id: string, opts: { requestedRole?: string; canCoach?: boolean; userId?: number; name?: string } = {}) {
    const script = path.join(dir, `mint-${kind}-${Math.random().toString(36).slice(2)}.php`);
    fs.writeFileSync(
      script,
      `<?php
require ${JSON.stringify(path.join(wordpress, 'tests/wp-stubs.php'))};
require ${JSON.stringify(path.join(wordpress, 'fitlive/includes/class-fitlive-client.php'))};
require ${JSON.stringify(path.join(wordpress, 'tests/stream-http.php'))};
$logs = array();
$client = new FitLive_Client(
  array('server' => getenv('FITLIVE_SERVER'), 'api_key' => getenv('FITLIVE_API_KEY'), 'ttl' => 600),
  fitlive_stream_http(),
  function (string $line) use (&$logs): void { $logs[] = $line; }
);
[$kind, $id, $requested, $can_coach, $user_id, $name] = array_slice($argv, 1);
$role = $kind === 'stream' ? 'viewer' : FitLive_Client::decide_role($requested, $can_coach === '1');
$result = $client->mint($kind, $id, $role, 'wp-' . (int) $user_id, $name);
if ($result['ok']) {
  echo $kind === 'stream' ? $client->render_live_stream($id, $result['token']) : $client->render_class_room($id, $result['token']);
  echo "\\n", $client->script_tag(), "\\n";
} else {
  echo FitLive_Client::friendly_error($result, $kind), "\\n";
}
fwrite(STDERR, implode("\\n", $logs));
`,
    );
    const args = [script, kind, id, opts.requestedRole ?? 'member', opts.canCoach ? '1' : '0', String(opts.userId ?? 42), opts.name ?? 'Ana <b>Ruiz</b>'];
    const { stdout, stderr } = await run('php', args, { env: { ...process.env, FITLIVE_SERVER: `${server.url}/`, FITLIVE_API_KEY: apiKey }, timeout: 30_000 });
    return { html: stdout, log: stderr };
  }

  const attr = (html: string, tag: string, name: string) => {
    const el = new RegExp(`<${tag}\\s[^>]*>`).exec(html)?.[0];
    assert.ok(el, `a <${tag}> in ${html}`);
    const m = new RegExp(`\\s${name}="([^"]*)"`).exec(el);
    assert.ok(m, `${name}="…" on ${el}`);
    return m[1]!.replace(/&quot;/g, '"').replace(/&#0?39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  };

  test(`a member's token for ${DEMO_CLASS_ID}: <fit-class-room> whose token the backend accepts`, async () => {
    const { html, log } = await mint('class', DEMO_CLASS_ID, { userId: 42 });
    assert.equal(log, '', 'nothing logged');
    assert.equal(attr(html, 'fit-class-room', 'server'), server.url);
    assert.equal(attr(html, 'fit-class-room', 'class-id'), DEMO_CLASS_ID);
    const token = attr(html, 'fit-class-room', 'token');
    const who = await verifyJoinToken(token, async (club) => (club === DEMO_CLUB_ID ? secret : undefined), { maxTtlSeconds: server.config.tokenMaxTtlSeconds });
    assert.equal(who.clubId, DEMO_CLUB_ID);
    assert.equal(who.classId, DEMO_CLASS_ID);
    assert.equal(who.role, 'member');
    assert.equal(who.identity, 'wp-42');
    assert.equal(who.displayName, 'Ana <b>Ruiz</b>');
    const ttl = who.expiresAt - Math.floor(Date.now() / 1000);
    assert.ok(ttl > 500 && ttl <= 600, `the plugin's lifetime (600 s), got ${ttl}`);
    assert.ok(html.includes(`<script type="module" src="${server.url}/fitlive.js"></script>`), html);
    assert.ok(!html.includes(apiKey), 'the API key is not in the HTML');
    // (`flk_<id>_<secret>`: the secret is base64url and may itself hold `_`.)
    assert.ok(!html.includes(apiKey.split('_').slice(2).join('_')), 'nor its secret part');
    assert.ok(!html.includes('<b>'), 'the name is not on the page');
  });

  test('role="coach" without the capability still mints a member token; with it, a coach token', async () => {
    const verify = async (html: string) => verifyJoinToken(attr(html, 'fit-class-room', 'token'), async () => secret, { maxTtlSeconds: server.config.tokenMaxTtlSeconds });
    assert.equal((await verify((await mint('class', DEMO_CLASS_ID, { requestedRole: 'coach', canCoach: false, userId: 7 })).html)).role, 'member');
    const coach = await verify((await mint('class', DEMO_CLASS_ID, { requestedRole: 'coach', canCoach: true, userId: 1, name: 'Coach Sam' })).html);
    assert.deepEqual([coach.role, coach.identity, coach.displayName], ['coach', 'wp-1', 'Coach Sam']);
  });

  test(`a viewer token for ${DEMO_STREAM_ID}: <fit-live-stream>`, async () => {
    const { html } = await mint('stream', DEMO_STREAM_ID, { userId: 5, name: 'Bo' });
    assert.equal(attr(html, 'fit-live-stream', 'stream-id'), DEMO_STREAM_ID);
    const viewer = await verifyViewerToken(attr(html, 'fit-live-stream', 'token'), async () => secret, server.config.tokenMaxTtlSeconds);
    assert.deepEqual([viewer.clubId, viewer.streamId, viewer.identity, viewer.displayName], [DEMO_CLUB_ID, DEMO_STREAM_ID, 'wp-5', 'Bo']);
    assert.ok(!html.includes(apiKey));
  });

  test('an unknown class: a friendly notice, the status logged, no key and no server text', async () => {
    const { html, log } = await mint('class', 'no-such-class');
    assert.equal(html.trim(), '<p class="fitlive-notice">This class is not available.</p>');
    assert.equal(log, 'FitLive: token request for a class failed: HTTP 404 (class_not_found)');
    assert.ok(!html.includes(apiKey) && !log.includes(apiKey));
  });

  test('a revoked key: a friendly notice and 401 in the log', async () => {
    const revoked = makeApiKey();
    await server.repos.apiKeys.add({ id: revoked.id, clubId: DEMO_CLUB_ID, secretHash: revoked.secretHash, label: 'revoked' });
    await server.repos.apiKeys.revoke(revoked.id, DEMO_CLUB_ID);
    const saved = apiKey;
    apiKey = revoked.key;
    try {
      const { html, log } = await mint('class', DEMO_CLASS_ID);
      assert.match(html, /could not be loaded right now/);
      assert.equal(log, 'FitLive: token request for a class failed: HTTP 401 (unauthorized)');
      assert.ok(!html.includes(revoked.key) && !log.includes(revoked.key));
    } finally {
      apiKey = saved;
    }
  });
});
