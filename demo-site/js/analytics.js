// Demo only: a club reads analytics with its API key from its own server. Here a dev-only
// endpoint (FITLIVE_DEV=1) serves the demo club's streams. Drawn with DOM calls (strict CSP).
const streamId = new URLSearchParams(location.search).get('stream') || 'demo-hiit-live';
const $ = (id) => document.querySelector(`[data-testid="${id}"]`);
const svgNs = 'http://www.w3.org/2000/svg';

const duration = (s) => {
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = Math.round(s % 60);
  return h ? `${h} h ${m} min` : m ? `${m} min ${sec} s` : `${sec} s`;
};

function drawChart(points) {
  const svg = $('chart');
  svg.replaceChildren();
  if (!points.length) return;
  const max = Math.max(1, ...points.map((p) => p.viewers));
  const w = 600 / points.length;
  points.forEach((p, i) => {
    const h = (p.viewers / max) * 140;
    const bar = document.createElementNS(svgNs, 'rect');
    bar.setAttribute('x', String(i * w + 1));
    bar.setAttribute('y', String(150 - h));
    bar.setAttribute('width', String(Math.max(1, w - 2)));
    bar.setAttribute('height', String(h));
    bar.setAttribute('class', 'bar');
    const title = document.createElementNS(svgNs, 'title');
    title.textContent = `${new Date(p.at).toLocaleTimeString()}: ${p.viewers} watching`;
    bar.append(title);
    svg.append(bar);
  });
  $('chart-caption').textContent = `${points.length} samples, ${new Date(points[0].at).toLocaleTimeString()} – ${new Date(points.at(-1).at).toLocaleTimeString()}; peak ${max}.`;
}

async function refresh() {
  try {
    const res = await fetch(`/api/dev/streams/${encodeURIComponent(streamId)}/analytics`);
    const a = await res.json();
    if (!res.ok) throw new Error(a.error?.message ?? res.statusText);
    $('analytics-title').textContent = `Analytics · ${a.title} (${a.status})`;
    $('viewers-now').textContent = String(a.viewers);
    $('peak').textContent = String(a.peakViewers);
    $('unique').textContent = String(a.uniqueViewers);
    $('watch-time').textContent = duration(a.totalWatchSeconds);
    drawChart(a.concurrency);
  } catch (err) {
    const p = document.querySelector('.token-error');
    p.textContent = `Could not load analytics: ${err.message}`;
    p.hidden = false;
  }
}

await refresh();
setInterval(refresh, 10_000);
