// The club's schedule from FitLive's public listing, with join links. A club site would do the
// same against its FitLive server (the listing is CORS-enabled and holds no member data).
const box = document.querySelector('[data-club]');
const fmt = new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' });

function card(c) {
  const el = document.createElement('article');
  el.className = 'card';
  el.dataset.classId = c.id;
  const start = c.startsAt ? new Date(c.startsAt) : null;
  const live = c.status === 'live' || !start || (start <= new Date() && new Date() < new Date(start.getTime() + c.durationMinutes * 60_000));
  const badge = document.createElement('span');
  badge.className = live ? 'live' : 'when';
  badge.textContent = live ? '● Live now' : fmt.format(start);
  const title = document.createElement('strong');
  title.textContent = c.title;
  const meta = document.createElement('span');
  meta.className = 'when';
  meta.textContent = [`${c.durationMinutes} min`, c.coachName, `${c.capacity} places`].filter(Boolean).join(' · ');
  const link = document.createElement('a');
  link.href = `/member.html?class=${encodeURIComponent(c.id)}`;
  link.textContent = live ? 'Join class →' : 'Join when it starts →';
  el.append(badge, title, meta, link);
  return el;
}

try {
  const res = await fetch(`/api/public/clubs/${encodeURIComponent(box.dataset.club)}/schedule`);
  const { classes } = await res.json();
  box.replaceChildren(...(classes.length ? classes.map(card) : [Object.assign(document.createElement('p'), { textContent: 'No classes scheduled right now.' })]));
} catch {
  box.replaceChildren(Object.assign(document.createElement('p'), { textContent: 'The schedule is unavailable right now.' }));
}
