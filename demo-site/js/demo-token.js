// Demo only: a real club's server signs join tokens for its logged-in members. Here the
// backend's dev endpoint (FITLIVE_DEV=1) hands one out for the demo club.
const params = new URLSearchParams(location.search);
const role = document.body.dataset.role === 'coach' ? 'coach' : 'member';
const room = document.querySelector('fit-class-room');
const classId = params.get('class') || room.getAttribute('class-id');
const name = params.get('name') || (role === 'coach' ? 'Coach Sam' : 'Guest member');
room.setAttribute('server', location.origin);
room.setAttribute('class-id', classId);

try {
  const res = await fetch('/api/dev/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ classId, role, name }),
  });
  const body = await res.json();
  if (!res.ok) throw new Error(body.error?.message ?? res.statusText);
  room.setAttribute('token', body.token);
  room.dataset.tokenReady = 'true';
} catch (err) {
  const p = document.querySelector('.token-error');
  p.textContent = `Could not get a demo token: ${err.message}`;
  p.hidden = false;
}
