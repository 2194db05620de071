// No secret or key ever in dist/ (issue 8): the built widget files are read as a browser would
// get them and searched for key and secret shapes, for the names of the backend's secret settings,
// and for environment reads (a bundler's define could paste a value in). Runs on the built files
// (`npm test` rebuilds a stale bundle first).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const dist = path.resolve('dist');
const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));

// Every backend setting that holds a secret, by name (backend/config.ts).
const SECRET_SETTINGS = fs
  .readFileSync('backend/config.ts', 'utf8')
  .match(/^\s+([A-Z][A-Z0-9_]*(?:SECRET|KEY|PASSWORD)[A-Z0-9_]*):/gm)!
  .map((l) => l.trim().replace(/:$/, ''));

const SHAPES: Array<[string, RegExp]> = [
  ['a club API key', /flk_[0-9a-f]{12}_[A-Za-z0-9_-]{20,}/],
  ['a private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  // (A service-role key is a JWT: the JWT shape finds it. The words alone appear in supabase-js.)
  ['a JWT', /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/],
  ['a database URL with a password', /postgres(?:ql)?:\/\/[^\s:@/'"]+:[^\s@/'"]+@/],
  ['a join secret field', /joinSecret|join_secret/],
];

test('dist/ holds no secret: no keys, tokens, secret settings or environment reads', () => {
  assert.ok(SECRET_SETTINGS.length >= 4, `found the secret settings: ${SECRET_SETTINGS.join(', ')}`);
  const built = files(dist);
  assert.ok(built.some((f) => f.endsWith('fitlive.js')), 'the bundle is built');
  for (const file of built) {
    const text = fs.readFileSync(file, 'utf8');
    const rel = path.relative(process.cwd(), file);
    for (const [what, re] of SHAPES) assert.ok(!re.test(text), `${rel} contains ${what}: ${re.exec(text)?.[0].slice(0, 40)}…`);
    for (const name of SECRET_SETTINGS) assert.ok(!text.includes(name), `${rel} names the secret setting ${name}`);
    // The only environment read allowed is the debug library's DEBUG switch (guarded for browsers).
    // Code only: source maps carry libraries' comments, which may name variables they never read here.
    if (file.endsWith('.map')) continue;
    const envReads = [...text.matchAll(/process\.env\.([A-Za-z_]+)/g)].map((m) => m[1]).filter((n) => n !== 'DEBUG');
    assert.deepEqual(envReads, [], `${rel} reads the environment`);
  }
  console.log(`bundle secrets: ${built.length} files checked against ${SHAPES.length} shapes and ${SECRET_SETTINGS.length} secret settings (${SECRET_SETTINGS.join(', ')})`);
});
