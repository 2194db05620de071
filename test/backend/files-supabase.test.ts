import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { signJoinToken } from '../../backend/auth/join-token.js';
import type { RunningServer } from '../../backend/main.js';
import { DEMO_CLASS_ID, DEMO_CLUB_ID } from '../../backend/store/seed.js';
import type { SharedFile } from '../../protocol/social.js';
import { startBackend } from '../support/backend.js';

/*
 * Shared files kept in Supabase Storage. The hosted Supabase service cannot run here, so this
 * test stands up a local HTTP server that answers the two Storage REST calls the backend makes
 * (upload, authenticated download) as Supabase documents them, and checks the service key.
 */

const SERVICE_KEY = 'service-role-key-for-tests';
const objects = new Map<string, { type: string; bytes: Buffer }>();
let storage: http.Server;
let storageUrl: string;
let server: RunningServer;

before(async () => {
  storage = http.createServer((req, res) => {
    const auth = req.headers.authorization;
    if (auth !== `Bearer ${SERVICE_KEY}` || req.headers.apikey !== SERVICE_KEY) {
      res.writeHead(401).end(JSON.stringify({ error: 'Unauthorized' }));
      return;
    }
    const upload = /^\/storage\/v1\/object\/([^/]+)\/([^/]+)$/.exec(req.url ?? '');
    const download = /^\/storage\/v1\/object\/authenticated\/([^/]+)\/([^/]+)$/.exec(req.url ?? '');
    if (req.method === 'POST' && upload) {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        objects.set(`${upload[1]}/${upload[2]}`, { type: String(req.headers['content-type']), bytes: Buffer.concat(chunks) });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ Key: `${upload[1]}/${upload[2]}` }));
      });
      return;
    }
    if (req.method === 'GET' && download) {
      const o = objects.get(`${download[1]}/${download[2]}`);
      if (!o) return void res.writeHead(400).end(JSON.stringify({ error: 'not_found' }));
      res.writeHead(200, { 'content-type': o.type }).end(o.bytes);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => storage.listen(0, '127.0.0.1', r));
  storageUrl = `http://127.0.0.1:${(storage.address() as AddressInfo).port}`;
  server = await startBackend({ SUPABASE_URL: storageUrl, SUPABASE_SERVICE_ROLE_KEY: SERVICE_KEY, SUPABASE_STORAGE_BUCKET: 'club-files' });
});
after(async () => {
  await server?.stop();
  storage?.close();
});

test('with Supabase configured, shared files go to its Storage bucket and come back through signed links', async () => {
  const secret = (await server.repos.clubs.get(DEMO_CLUB_ID))!.joinSecret;
  const coach = await signJoinToken({ club: DEMO_CLUB_ID, class: DEMO_CLASS_ID, role: 'coach', name: 'Sam', sub: 'sam' }, secret, 600);
  const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), crypto.randomBytes(500)]);
  const res = await fetch(`${server.url}/api/v1/classes/${DEMO_CLASS_ID}/files?name=form.jpg`, { method: 'POST', headers: { authorization: `Bearer ${coach}`, 'content-type': 'image/jpeg' }, body: new Blob([jpeg]) });
  assert.equal(res.status, 201);
  const file = (await res.json()) as SharedFile;
  assert.ok(objects.get(`club-files/${file.id}`)?.bytes.equals(jpeg), 'the bytes are in the bucket');
  const back = await fetch(`${server.url}${file.url}`);
  assert.equal(back.status, 200);
  assert.ok(Buffer.from(await back.arrayBuffer()).equals(jpeg));
  // The service key is the server's alone: nothing the client receives carries it.
  assert.ok(!JSON.stringify(file).includes(SERVICE_KEY));
});
