// The README's token examples are real: the PHP (WordPress) function is cut out of README.md, run
// by Debian's php-cli, and its token verified by the backend's own check; the Node snippet's
// claims and header are checked the same way. (scripts/install-system-deps.sh --test installs php-cli.)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { test } from 'node:test';
import { verifyJoinToken } from '../../backend/auth/join-token.js';

const readme = fs.readFileSync('README.md', 'utf8');
const fence = (lang: string) => {
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(readme.slice(readme.indexOf('## Join tokens')));
  assert.ok(m, `README has a ${lang} token example`);
  return m[1]!;
};
const SECRET = 'readme-example-secret-0123456789abcdef';

test('README: the PHP (WordPress) example mints a token the backend accepts', () => {
  const fn = fence('php');
  assert.ok(fn.split('\n').filter((l) => l.trim()).length <= 12, 'about ten lines');
  const script = `<?php
class WP_User { public $ID = 42; public $display_name = 'Ana <b>Ruiz</b>'; }
const FITLIVE_JOIN_SECRET = '${SECRET}';
${fn}
echo fitlive_token('hiit-monday', 'member', new WP_User());
`;
  const token = execFileSync('php', ['-r', script.replace(/^<\?php\n/, '')], { encoding: 'utf8' }).trim();
  return verifyJoinToken(token, async (club) => (club === 'northside' ? SECRET : undefined), { maxTtlSeconds: 3600 }).then((who) => {
    assert.equal(who.clubId, 'northside');
    assert.equal(who.classId, 'hiit-monday');
    assert.equal(who.role, 'member');
    assert.equal(who.identity, 'wp-42');
    assert.equal(who.displayName, 'Ana <b>Ruiz</b>');
  });
});

test('README: the Node example mints a token the backend accepts', async () => {
  const snippet = fence('js').replace(/^import .*\n/m, '');
  const { SignJWT } = await import('jose');
  const run = new Function('SignJWT', 'process', `return (async () => { ${snippet}; return token; })();`) as (s: unknown, p: unknown) => Promise<string>;
  const token = await run(SignJWT, { env: { FITLIVE_JOIN_SECRET: SECRET } });
  const who = await verifyJoinToken(token, async () => SECRET, { maxTtlSeconds: 3600 });
  assert.deepEqual([who.clubId, who.classId, who.role, who.identity], ['northside', 'hiit-monday', 'member', 'member-1234']);
});
