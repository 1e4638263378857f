/**
 * admin-dashboard in a real browser (Debian's /usr/bin/chromium driven by playwright-core), on the
 * real event path from rendered/dev (Kafka, PostgreSQL, Redis, event-ingestion, event-processor,
 * analytics-api) with the dashboard booted from its rendered environment, callee URLs pointed here.
 * user-service is not written yet (svc-gdpr): a recorder that answers its contract stands in, so
 * this proves the request the page sends, not that the deletion completes (apps/admin-dashboard/README.md).
 * A screenshot is saved under apps/test/artifacts/ (gitignored).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort } from '../../scripts/harness/process.ts';
import { makeEvent, postEvents } from './client.ts';
import { EVENT_PATH, REPO, startService, startStack, type RunningService, type Stack } from './stack.ts';
import { startUserServiceRecorder } from './user-service-recorder.ts';

// The functions passed to page.waitForFunction run in the page, where `document` exists.
declare const document: any;

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(REPO, 'apps', 'test', 'artifacts');

let stack: Stack;
let browser: Browser;
let page: Page;
let recorder: Awaited<ReturnType<typeof startUserServiceRecorder>>;
const services: Record<string, RunningService> = {};

describe('admin-dashboard in Chromium on the real event path', () => {
  before(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run bash scripts/harness/setup.sh (installs Debian's chromium)`);
    recorder = await startUserServiceRecorder();
    stack = await startStack({ services: ['admin-dashboard'] });
    for (const s of EVENT_PATH) services[s] = await startService(stack, s);
    services['admin-dashboard'] = await startService(stack, 'admin-dashboard', {
      ANALYTICS_API_URL: services['analytics-api'].url,
      EVENT_INGESTION_URL: services['event-ingestion'].url,
      EVENT_PROCESSOR_URL: services['event-processor'].url,
      // Not running in this test: the panel must say so.
      NOTIFICATION_SERVICE_URL: `http://127.0.0.1:${await freePort()}`,
      USER_SERVICE_URL: recorder.url,
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    page.on('dialog', (d) => void d.accept());
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await Promise.allSettled(Object.values(services).map((s) => s.process.stop()));
    await recorder?.close();
    await stack?.stop();
  });

  const text = (id: string) => page.locator(`#${id}`).innerText();

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

  test('an operator starts a GDPR deletion: the page sends user-service\'s DELETE and shows the pending request', async () => {
    await page.fill('#player-id', 'p-7');
    await page.click('#delete');
    await page.waitForFunction(() => /pending/.test(document.getElementById('delete-result')?.textContent ?? ''), undefined, { timeout: 10_000 });
    assert.deepEqual(recorder.requests.filter((r) => r.method === 'DELETE'), [{ method: 'DELETE', url: '/v1/players/p-7' }]);
    assert.ok(recorder.requests.some((r) => r.method === 'GET' && r.url === '/v1/gdpr/requests?limit=20'));
    await page.waitForFunction(() => [...document.querySelectorAll('#gdpr-requests td')].some((td) => td.textContent === 'p-7'), undefined, { timeout: 10_000 });
    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = join(ARTIFACTS, 'admin-dashboard.png');
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok(statSync(shot).size > 10_000);
  });

  test('a bad player id is refused with a coded error shown on the page, and nothing reaches user-service', async () => {
    const before = recorder.requests.length;
    await page.fill('#player-id', 'no spaces/allowed');
    await page.click('#delete');
    await page.waitForFunction(() => /VALIDATION_FAILED/.test(document.getElementById('delete-result')?.textContent ?? ''), undefined, { timeout: 10_000 });
    assert.equal(recorder.requests.slice(before).filter((r) => r.method === 'DELETE').length, 0);
  });
});
