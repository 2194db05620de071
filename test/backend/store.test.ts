import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { openDb } from '../../backend/store/db.js';
import { migrate } from '../../backend/store/migrate.js';
import { createRepositories } from '../../backend/store/repositories.js';
import { DEMO_CLASS_ID, DEMO_CLUB_ID, seedDemo } from '../../backend/store/seed.js';

test('migrations, demo seed and attendance on PGlite survive a restart', { timeout: 60_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitlive-store-'));
  let db = await openDb({ dataDir: dir });
  assert.deepEqual(await migrate(db), ['001_init.sql', '002_fitness.sql', '003_schedule_api_keys.sql', '004_social.sql', '005_live_state.sql', '006_streams.sql', '007_recordings.sql', '008_viewer_chat.sql', '009_row_level_security.sql', '010_camera_reps.sql', '011_default_privileges.sql']);
  assert.deepEqual(await migrate(db), [], 'migrations apply once');
  let repos = createRepositories(db);
  await seedDemo(repos);
  const secret = (await repos.clubs.get(DEMO_CLUB_ID))!.joinSecret;
  assert.ok(secret.length >= 32);
  const { attendanceId: visit, participantDbId: ana } = await repos.attendance.open({ clubId: DEMO_CLUB_ID, classId: DEMO_CLASS_ID, identity: 'ana', displayName: 'Ana', role: 'member', level: 'intermediate' });
  assert.equal(await repos.reps.record({ classId: DEMO_CLASS_ID, participantDbId: ana, exerciseId: 'squats', opId: 'op-0001' }), true);
  assert.equal(await repos.reps.record({ classId: DEMO_CLASS_ID, participantDbId: ana, exerciseId: 'squats', opId: 'op-0001' }), false, 'a retried tap is stored once');
  assert.equal(await repos.reps.record({ classId: DEMO_CLASS_ID, participantDbId: ana, exerciseId: 'plank', opId: 'op-0002' }), true);
  await repos.attendance.open({ clubId: DEMO_CLUB_ID, classId: DEMO_CLASS_ID, identity: 'sam', displayName: 'Coach Sam', role: 'coach' });
  await repos.attendance.close(visit);
  await db.close();

  db = await openDb({ dataDir: dir });
  await migrate(db);
  repos = createRepositories(db);
  await seedDemo(repos);
  assert.equal((await repos.clubs.get(DEMO_CLUB_ID))!.joinSecret, secret, 'the demo secret is kept, so issued tokens stay valid');
  assert.deepEqual(await repos.reps.forParticipant(DEMO_CLASS_ID, ana), { counts: { squats: 1, plank: 1 }, cameraCounts: {}, opIds: ['op-0001', 'op-0002'] });
  assert.equal((await repos.classes.get(DEMO_CLASS_ID))!.plan.length, 5, 'the demo plan is stored with the class');
  const rows = await repos.attendance.listForClass(DEMO_CLASS_ID);
  assert.deepEqual(
    rows.map((r) => [r.identity, r.role, r.left_at !== null]),
    [
      ['ana', 'member', true],
      ['sam', 'coach', false],
    ],
  );
  assert.equal(await repos.attendance.closeAllOpen(), 1);
  await assert.rejects(
    db.query("INSERT INTO attendance (class_id, participant_id, role) VALUES ($1, 1, 'admin')", [DEMO_CLASS_ID]),
    /check/i,
  );
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
