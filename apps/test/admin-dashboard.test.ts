/**
 * admin-dashboard in a real browser (Debian's /usr/bin/chromium driven by playwright-core), on the
 * real services from rendered/dev (Kafka, PostgreSQL, Redis, MinIO; event-ingestion, event-processor,
 * analytics-api, user-service, recommendation-engine) with the dashboard booted from its rendered
 * environment, callee URLs pointed here. A GDPR deletion started from the page goes through the real
 * user-service and completes: the page's row turns `completed` once every store of GDPR_STORES has its
 * audit row (profile: user-service; player-events: event-processor, from the published
 * gdpr.deletion.requests record; recommendations: recommendation-engine, likewise; archive: one run of
 * the data-retention CronJob's container, which runs every 30 minutes in the cluster).
 * recommendation-engine runs with SIMILARITY_BACKEND=redis (no Qdrant here), as in gdpr.test.ts.
 * A screenshot is saved under apps/test/artifacts/ (gitignored).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import pg from 'pg';
import { createObjectStore } from '@gamemetrics/service-kit/object-store.ts';
import { startMinio, type MinioServer } from '../../scripts/harness/minio.ts';
import { freePort } from '../../scripts/harness/process.ts';
import { eventually, makeEvent, postEvents, readTopic } from './client.ts';
import { EVENT_PATH, REPO, provisionRenderedBucket, renderedBucketVersioned, runJobOnce, startService, startStack, type RunningService, type Stack } from './stack.ts';

// The functions passed to page.waitForFunction run in the page, where `document` exists.
declare const document: any;

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(REPO, 'apps', 'test', 'artifacts');

let stack: Stack;
let browser: Browser;
let page: Page;
let minio: MinioServer;
let db: pg.Pool;
const services: Record<string, RunningService> = {};

/** user-service's count of answered DELETE /v1/players/:id (its Prometheus metrics). */
async function deletesServed(): Promise<number> {
  const text = await (await fetch(`${services['user-service'].url}/metrics`)).text();
  return text.split('\n').filter((l) => l.startsWith('http_requests_total{') && l.includes('method="DELETE"') && l.includes('route="/v1/players/:id"')).reduce((n, l) => n + Number(l.split(' ').at(-1)), 0);
}

describe('admin-dashboard in Chromium on the real event path', () => {
  before(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run bash scripts/harness/setup.sh (installs Debian's chromium)`);
    minio = await startMinio();
    stack = await startStack({ services: ['admin-dashboard', 'user-service', 'recommendation-engine', 'data-retention'], objectStore: minio });
    // In the cluster the MinIO chart creates the model's buckets.
    const archive = createObjectStore({ ...minio, bucket: stack.rendered['data-retention'].config.S3_BUCKET });
    await archive.ensureBucket({ versioning: renderedBucketVersioned(archive.bucket) });
    archive.close();
    await provisionRenderedBucket(minio, stack.rendered['data-retention'].config.AUDIT_BUCKET);
    const started = await Promise.all([...EVENT_PATH, 'user-service'].map((s) => startService(stack, s)));
    for (const s of started) services[s.name] = s;
    services['recommendation-engine'] = await startService(stack, 'recommendation-engine', { SIMILARITY_BACKEND: 'redis' });
    db = new pg.Pool({ ...stack.databaseAdmin(), max: 1 });
    services['admin-dashboard'] = await startService(stack, 'admin-dashboard', {
      ANALYTICS_API_URL: services['analytics-api'].url,
      EVENT_INGESTION_URL: services['event-ingestion'].url,
      EVENT_PROCESSOR_URL: services['event-processor'].url,
      // Not running in this test: the panel must say so.
      NOTIFICATION_SERVICE_URL: `http://127.0.0.1:${await freePort()}`,
      USER_SERVICE_URL: services['user-service'].url,
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    // The operator signs in once (HTTP Basic, as the browser's own prompt sends it); the page's calls reuse it.
    page = await browser.newPage({ viewport: { width: 1100, height: 800 }, httpCredentials: { username: stack.operator.name, password: stack.operator.token } });
    page.on('dialog', (d) => void d.accept());
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await db?.end().catch(() => undefined);
    await Promise.allSettled(Object.values(services).map((s) => s.process.stop()));
    await stack?.stop();
    await minio?.stop();
  });

  const text = (id: string) => page.locator(`#${id}`).innerText();

  test('without signing in, the page and the API answer 401 with a Basic challenge (the browser then asks)', async () => {
    // Headless Chromium abandons a Basic challenge it has no credentials for, so the answer is read directly.
    for (const path of ['/', '/api/status']) {
      const response = await fetch(`${services['admin-dashboard'].url}${path}`);
      assert.equal(response.status, 401, path);
      assert.equal(response.headers.get('www-authenticate'), 'Basic realm="admin-dashboard", charset="UTF-8"');
      assert.equal(((await response.json()) as { code: string }).code, 'OPERATOR_LOGIN_REQUIRED');
    }
    const deletion = await fetch(`${services['admin-dashboard'].url}/api/gdpr/deletions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ playerId: 'p-anyone' }) });
    assert.equal(deletion.status, 401, 'nobody erases a player without signing in');
  });

  test('the page loads, shows each service\'s readiness and the consumer lag', async () => {
    const response = await page.goto(`${services['admin-dashboard'].url}/?game=g-browser`);
    assert.equal(response?.status(), 200);
    assert.match(response?.headers()['content-security-policy'] ?? '', /script-src 'self'/);
    assert.equal(await page.title(), 'GameMetrics admin');
    await page.waitForFunction(() => document.querySelectorAll('#services tr').length === 5 && document.getElementById('live-state')?.textContent === 'live', undefined, { timeout: 30_000 });
    const rows = await page.locator('#services tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent)));
    assert.deepEqual(Object.fromEntries(rows), {
      'event-ingestion': 'ready',
      'event-processor': 'ready',
      'analytics-api': 'ready',
      'notification-service': 'unreachable',
      'user-service': 'ready',
    });
    assert.match(await text('lag'), /^\d+$/);
  });

  test('the numbers move when events flow', async (t) => {
    assert.equal(await text('total'), '0');
    const sent = [];
    for (let i = 0; i < 6; i++) {
      const events = Array.from({ length: 25 }, (_, j) => makeEvent('g-browser', `p-${j}`, j));
      const res = await postEvents(services['event-ingestion'].url, stack.apiKey, events);
      assert.equal(res.status, 202);
      sent.push(...events);
      await new Promise((r) => setTimeout(r, 300));
    }
    await page.waitForFunction((n) => document.getElementById('total')?.textContent === String(n), sent.length, { timeout: 60_000 });
    const eps = Number(await text('eps'));
    assert.ok(eps > 0, `events per second shown: ${eps}`);
    t.diagnostic(`after ${sent.length} events: total ${await text('total')}, ${eps} events/s, lag ${await text('lag')}`);
  });

  test('an operator starts a GDPR deletion from the page: user-service deletes, publishes, and every store reports done', async (t) => {
    // p-7 played in the test before; the deletion needs a profile in user-service.
    const created = await fetch(`${services['user-service'].url}/v1/players`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ playerId: 'p-7', displayName: 'P7', email: 'p7@example.com', consent: { analytics: true, marketing: false } }),
    });
    assert.equal(created.status, 201);
    const stored = async () => (await db.query('SELECT count(*)::int AS n FROM player_events WHERE player_id = $1', ['p-7'])).rows[0].n as number;
    assert.ok((await stored()) > 0, 'p-7 has stored events');
    const served = await deletesServed();

    await page.fill('#player-id', 'p-7');
    await page.click('#delete');
    await page.waitForFunction(() => /^Deletion [0-9a-f-]{36} for p-7: pending$/.test(document.getElementById('delete-result')?.textContent ?? ''), undefined, { timeout: 10_000 });
    const requestId = /Deletion ([0-9a-f-]{36})/.exec(await text('delete-result'))![1];
    assert.equal(await deletesServed(), served + 1, 'the page reached user-service once');
    await page.waitForFunction((id) => [...document.querySelectorAll('#gdpr-requests tr')].some((tr) => tr.textContent?.includes(id) && tr.textContent.includes('p-7')), requestId, { timeout: 10_000 });

    // user-service: the profile is gone and the request is published with the player's confirmation.
    assert.equal((await fetch(`${services['user-service'].url}/v1/players/p-7`)).status, 404);
    const published = await readTopic(stack.adminClient(), 'gdpr.deletion.requests', (ms) => ms.some((m) => JSON.parse(String(m.value)).requestId === requestId));
    assert.equal(String(published.find((m) => JSON.parse(String(m.value)).requestId === requestId)?.key), 'p-7');
    const notices = await readTopic(stack.adminClient(), 'notifications.outbound', (ms) => ms.some((m) => JSON.parse(String(m.value)).data?.requestId === requestId));
    assert.equal(JSON.parse(String(notices.find((m) => JSON.parse(String(m.value)).data?.requestId === requestId)?.value)).playerId, 'p-7');

    // The consumers of gdpr.deletion.requests do their part; the archive waits for data-retention's run.
    const status = async () => (await (await fetch(`${services['user-service'].url}/v1/gdpr/requests/${requestId}`)).json()) as { status: string; stores: Record<string, { status: string }> };
    const online = await eventually('profile, event store and recommendations done', async () => {
      const s = await status();
      return ['profile', 'player-events', 'recommendations'].every((k) => s.stores[k].status === 'completed') ? s : undefined;
    }, 60_000);
    assert.deepEqual([online.status, online.stores.archive.status], ['pending', 'pending']);
    assert.equal(await stored(), 0, 'no event row of p-7');
    assert.equal((await runJobOnce(stack, 'data-retention')).erasedRequests, 1);

    const done = await status();
    assert.equal(done.status, 'completed', JSON.stringify(done));
    assert.ok(Object.values(done.stores).every((s) => s.status === 'completed'));
    // The page shows it (it polls user-service's list every 2 s).
    await page.waitForFunction((id) => [...document.querySelectorAll('#gdpr-requests tr')].some((tr) => tr.textContent?.includes(id) && tr.lastElementChild?.textContent === 'completed'), requestId, { timeout: 15_000 });
    const audit = await db.query('SELECT store, service FROM gdpr_deletion_audit WHERE request_id = $1 ORDER BY store', [requestId]);
    assert.deepEqual(audit.rows.map((r) => `${r.store}:${r.service}`), ['archive:data-retention', 'player-events:event-processor', 'profile:user-service', 'recommendations:recommendation-engine']);
    t.diagnostic(`deletion ${requestId} completed in every store: ${Object.keys(done.stores).join(', ')}`);
    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = join(ARTIFACTS, 'admin-dashboard.png');
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok(statSync(shot).size > 10_000);
  });

  test('a bad player id is refused with a coded error shown on the page, and nothing reaches user-service', async () => {
    const served = await deletesServed();
    await page.fill('#player-id', 'no spaces/allowed');
    await page.click('#delete');
    await page.waitForFunction(() => /VALIDATION_FAILED/.test(document.getElementById('delete-result')?.textContent ?? ''), undefined, { timeout: 10_000 });
    assert.equal(await deletesServed(), served);
  });
});
