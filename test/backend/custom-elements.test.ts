// The custom elements manifest (custom-elements.json) shipped with the package: generated from
// the elements' JSDoc by @custom-elements-manifest/analyzer (`npm run cem`). Checks that the
// committed file matches the sources and documents every public element's API and theming hooks.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

interface Decl {
  tagName?: string;
  attributes?: Array<{ name: string }>;
  events?: Array<{ name: string; description?: string }>;
  cssParts?: Array<{ name: string; description?: string }>;
  cssProperties?: Array<{ name: string; description?: string }>;
}
const read = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as { modules: Array<{ declarations?: Decl[] }> };
const elements = (m: ReturnType<typeof read>) => new Map(m.modules.flatMap((mod) => mod.declarations ?? []).filter((d) => d.tagName).map((d) => [d.tagName!, d]));
const manifest = read('custom-elements.json');

test('custom-elements.json is up to date with the sources (npm run cem)', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'fitlive-cem-'));
  try {
    // The analyzer joins --outdir to the working directory: hand it the temp dir relative to it.
    execFileSync(path.resolve('node_modules/.bin/cem'), ['analyze', '--config', 'custom-elements-manifest.config.mjs', '--outdir', path.relative(process.cwd(), out)], { stdio: 'pipe' });
    assert.deepEqual(read(path.join(out, 'custom-elements.json')), manifest, 'custom-elements.json is stale: run `npm run cem` and commit it');
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('every public element documents its attributes, fit-* events, parts and custom properties', () => {
  const els = elements(manifest);
  assert.deepEqual([...els.keys()].sort(), ['fit-board', 'fit-class-room', 'fit-live-stream', 'fit-rep-counter']);
  const expect: Record<string, string[]> = {
    'fit-class-room': ['server', 'class-id', 'token', 'supabase-url', 'supabase-anon-key', 'level'],
    'fit-live-stream': ['server', 'stream-id', 'token', 'poster', 'no-chat'],
    'fit-rep-counter': ['server', 'class-id', 'token'],
  };
  for (const [tag, attrs] of Object.entries(expect)) {
    const d = els.get(tag)!;
    const names = new Set((d.attributes ?? []).map((a) => a.name));
    for (const a of attrs) assert.ok(names.has(a), `${tag}: attribute ${a}`);
    assert.ok((d.events ?? []).length > 0 && d.events!.every((e) => e.name.startsWith('fit-') && e.description), `${tag}: fit-* events, each described`);
    assert.ok((d.cssParts ?? []).length > 0 && d.cssParts!.every((p) => p.description), `${tag}: ::part names, each described`);
    assert.ok((d.cssProperties ?? []).every((p) => p.name.startsWith('--fit-') && p.description), `${tag}: --fit-* custom properties, each described`);
    // Internal reactive state is not an attribute.
    for (const a of names) assert.ok(!/^(chat|board|coach|signIn)[A-Z]/.test(a), `${tag}: internal state ${a} listed as an attribute`);
  }
});

test('every --fit-* custom property the styles read is documented on an element', () => {
  const documented = new Set([...elements(manifest).values()].flatMap((d) => (d.cssProperties ?? []).map((p) => p.name)));
  const used = new Set<string>();
  for (const f of fs.readdirSync('widget', { recursive: true }) as string[]) {
    if (!f.endsWith('.ts')) continue;
    for (const m of fs.readFileSync(path.join('widget', f), 'utf8').matchAll(/var\((--fit-[a-z0-9-]+)/g)) used.add(m[1]!);
  }
  const missing = [...used].filter((p) => !documented.has(p));
  assert.deepEqual(missing, [], `undocumented custom properties: ${missing.join(', ')} (add @cssproperty to the element's JSDoc)`);
});
