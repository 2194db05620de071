import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withoutAbsCaptureTime } from '../../backend/media/class-media.js';

// Why: with abs-capture-time negotiated, mediasoup could not switch chromium's simulcast layers
// (docs/mediasoup-worker.md); the e2e adaptive-video test shows the switching itself.
test('producer parameters lose abs-capture-time and keep everything else', () => {
  const params = {
    mid: '0',
    codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 }],
    headerExtensions: [
      { uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 1 },
      { uri: 'http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time', id: 13 },
      { uri: 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01', id: 5 },
    ],
    encodings: [{ rid: 'r0' }, { rid: 'r1' }, { rid: 'r2' }],
  };
  const out = withoutAbsCaptureTime(params) as typeof params;
  assert.deepEqual(out.headerExtensions.map((h) => h.id), [1, 5]);
  assert.deepEqual({ ...out, headerExtensions: [] }, { ...params, headerExtensions: [] });
  assert.equal(params.headerExtensions.length, 3, 'the input is not changed');
  assert.deepEqual(withoutAbsCaptureTime({ codecs: [] }), { codecs: [] }, 'no extensions: as is');
});
