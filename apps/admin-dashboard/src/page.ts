/**
 * The page and its script (served as /app.js so the Content-Security-Policy allows no inline code).
 * The script opens the live stream of the chosen game, counts events per second over the last
 * 5 s, polls /api/status and /api/gdpr/requests every 2 s, and posts deletions.
 */
export const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>GameMetrics admin</title>
<style>
  body { font: 14px system-ui, sans-serif; margin: 24px; color: #1d2433; }
  h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
  .tiles { display: flex; gap: 16px; } .tile { border: 1px solid #ccd; border-radius: 6px; padding: 12px 18px; min-width: 140px; }
  .tile b { display: block; font-size: 28px; } table { border-collapse: collapse; } td, th { border-bottom: 1px solid #dde; padding: 4px 10px; text-align: left; }
  .ready { color: #137333; } .not-ready, .unreachable { color: #b3261e; } .error { color: #b3261e; }
</style>
</head>
<body>
<h1>GameMetrics admin</h1>
<form id="game-form"><label>Game <input id="game-id" name="game" required pattern="[A-Za-z0-9][A-Za-z0-9_.:-]*" maxlength="64"></label> <button>Watch</button> <span id="live-state"></span></form>
<div class="tiles">
  <div class="tile">events / s<b id="eps">–</b></div>
  <div class="tile">events (total)<b id="total">–</b></div>
  <div class="tile">consumer lag<b id="lag">–</b></div>
</div>
<h2>Services</h2>
<table><thead><tr><th>service</th><th>status</th><th>checks</th><th>lag</th></tr></thead><tbody id="services"></tbody></table>
<h2>GDPR deletion</h2>
<form id="delete-form"><label>Player id <input id="player-id" name="playerId" required maxlength="64"></label> <button id="delete">Delete player data</button></form>
<p id="delete-result" role="status"></p>
<table><thead><tr><th>request</th><th>player</th><th>status</th></tr></thead><tbody id="gdpr-requests"></tbody></table>
<script src="/app.js"></script>
</body>
</html>
`;

export const SCRIPT = `'use strict';
const $ = (id) => document.getElementById(id);
const cell = (text, cls) => { const td = document.createElement('td'); td.textContent = text; if (cls) td.className = cls; return td; };
const row = (cells) => { const tr = document.createElement('tr'); for (const c of cells) tr.append(c); return tr; };
let source = null; let recent = [];
function watch(game) {
  if (source) source.close();
  recent = []; $('total').textContent = '–'; $('eps').textContent = '0';
  source = new EventSource('/api/live/' + encodeURIComponent(game));
  source.onopen = () => { $('live-state').textContent = 'live'; };
  source.onerror = () => { $('live-state').textContent = 'reconnecting…'; };
  source.addEventListener('snapshot', (e) => { $('total').textContent = JSON.parse(e.data).total; });
  source.addEventListener('counters', (e) => {
    const d = JSON.parse(e.data);
    recent.push([Date.now(), Object.values(d.delta).reduce((a, b) => a + b, 0)]);
    $('total').textContent = d.total;
  });
}
setInterval(() => {
  const since = Date.now() - 5000;
  recent = recent.filter(([t]) => t >= since);
  if (source) $('eps').textContent = (recent.reduce((a, [, n]) => a + n, 0) / 5).toFixed(1);
}, 500);
async function refresh() {
  try {
    const status = await (await fetch('/api/status')).json();
    $('services').replaceChildren(...status.services.map((s) => row([cell(s.name), cell(s.status, s.status),
      cell(Object.entries(s.checks || {}).map(([k, v]) => k + ': ' + v).join(', ')), cell(s.consumerLag === undefined ? '' : String(s.consumerLag))])));
    $('lag').textContent = status.consumerLag;
  } catch { /* the next poll retries */ }
  try {
    const res = await fetch('/api/gdpr/requests');
    const body = await res.json();
    if (res.ok) $('gdpr-requests').replaceChildren(...(Array.isArray(body) ? body : body.requests || []).map((r) => row([cell(r.requestId), cell(r.playerId), cell(r.status)])));
  } catch { /* the next poll retries */ }
}
setInterval(refresh, 2000); refresh();
$('game-form').addEventListener('submit', (e) => { e.preventDefault(); const g = $('game-id').value.trim(); history.replaceState(null, '', '?game=' + encodeURIComponent(g)); watch(g); });
$('delete-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const playerId = $('player-id').value.trim();
  if (!confirm('Delete every piece of data of player ' + playerId + '?')) return;
  const res = await fetch('/api/gdpr/deletions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ playerId }) });
  const body = await res.json();
  $('delete-result').className = res.ok ? '' : 'error';
  $('delete-result').textContent = res.ok ? 'Deletion ' + body.requestId + ' for ' + body.playerId + ': ' + body.status : body.code + ': ' + body.message;
  refresh();
});
const initial = new URLSearchParams(location.search).get('game');
if (initial) { $('game-id').value = initial; watch(initial); }
`;
