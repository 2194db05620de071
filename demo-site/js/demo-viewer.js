// Demo only: a real club's server asks the API for a viewer token (POST /api/v1/streams/:id/join
// with its API key) for each logged-in member. Here the dev endpoint (FITLIVE_DEV=1) hands one out.
const player = document.querySelector('fit-live-stream');
const streamId = new URLSearchParams(location.search).get('stream') || player.getAttribute('stream-id');
player.setAttribute('server', location.origin);
player.setAttribute('stream-id', streamId);

try {
  const res = await fetch('/api/dev/viewer-token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ streamId, name: 'Guest viewer' }),
  });
  const body = await res.json();
  if (!res.ok) throw new Error(body.error?.message ?? res.statusText);
  player.setAttribute('token', body.token);
  player.dataset.tokenReady = 'true';
} catch (err) {
  const p = document.querySelector('.token-error');
  p.textContent = `Could not get a demo viewer token: ${err.message}`;
  p.hidden = false;
}
