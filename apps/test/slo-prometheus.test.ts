// The SLIs on a real Prometheus: event-ingestion, started with its rendered dev configuration (Kafka
// pointed at a closed port, so every valid event is answered 503 KAFKA_UNAVAILABLE), is scraped by
// Debian's prometheus, which evaluates the rendered SLO rule groups of rendered/dev. Traffic with a known
// share of 5xx answers (valid events) and of slow answers (bodies sent 300 ms after the headers, past the
// 100 ms latency threshold) must come back from the recording rules through the HTTP API.
// The rendered canary analysis runs on the same Prometheus: the scraped pod carries a pod-template hash, as
// the ServiceMonitor copies it, and the analysis judges only the pods of the hash it is given.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { hashApiKey } from '../lib/api-keys.ts';
import { freePort, spawnServer, tailFile, waitFor, type ServerProcess } from '../../scripts/harness/process.ts';
import { startPrometheus, type PrometheusServer } from '../../scripts/harness/prometheus.ts';
import { makeEvent } from './client.ts';
import { IMAGE_NODE_OPTIONS, REPO, renderedService } from './stack.ts';

const SERVICE = 'event-ingestion';
const NAMESPACE = 'gamemetrics';
const API_KEY = 'slo-test-key-0123456789abcdef';
/** Per round of ten requests: two valid events (503), eight invalid bodies (400); three of the ten slow. */
const ROUND = Array.from({ length: 10 }, (_, i) => ({ valid: i < 2, slow: i === 1 || i === 4 || i === 7 }));
const ROUNDS = 16;
const ERROR_SHARE = 0.2;
const SLOW_SHARE = 0.3;
const SLOW_BODY_DELAY_MS = 300;
const TOLERANCE = 0.05;
/** The pod-template hash the scraped pod carries, as the ServiceMonitor's podTargetLabels copy it. */
const POD_HASH = '6d4b9c7f58';

/** The rendered canary analysis of the service: its metrics, and the argument they take the pod hash from. */
function analysisMetrics(): Array<{ name: string; successCondition: string; failureCondition: string; provider: { prometheus: { query: string } } }> {
  const file = join(REPO, 'rendered', 'dev', 'tenants', NAMESPACE, NAMESPACE, `analysistemplate-${SERVICE}-slo.yaml`);
  const template = parse(readFileSync(file, 'utf8')) as { spec: { args: Array<{ name: string }>; metrics: ReturnType<typeof analysisMetrics> } };
  assert.deepEqual(template.spec.args, [{ name: 'pod-template-hash' }]);
  return template.spec.metrics;
}

function sloRuleGroups(): unknown[] {
  const file = join(REPO, 'rendered', 'dev', 'platform', 'slo-rules', 'monitoring', `prometheusrule-slo-${SERVICE}.yaml`);
  return (parse(readFileSync(file, 'utf8')) as { spec: { groups: unknown[] } }).spec.groups;
}

/** POST /v1/events; a slow request sends its headers, waits, then its body. Resolves to the status code. */
function post(port: number, body: string, slow: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/events', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-api-key': API_KEY } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    if (!slow) return void req.end(body);
    req.flushHeaders();
    setTimeout(() => req.end(body), SLOW_BODY_DELAY_MS);
  });
}

describe('SLO recording rules on a real Prometheus scraping event-ingestion', { timeout: 180_000 }, () => {
  let service: ServerProcess;
  let prometheus: PrometheusServer;
  let port: number;
  let logDir: string;
  const statuses: number[] = [];

  before(async () => {
    port = await freePort();
    const closedKafkaPort = await freePort();
    const rendered = renderedService(SERVICE);
    const env: Record<string, string> = { ...rendered.config, ...rendered.env };
    for (const ref of rendered.secretRefs) env[ref.env] = ref.env === 'API_KEYS' ? `studio-slo:${hashApiKey(API_KEY)}` : 'unused';
    Object.assign(env, { PORT: String(port), HOST: '127.0.0.1', KAFKA_BROKERS: `127.0.0.1:${closedKafkaPort}`, KAFKA_SSL: 'false', OTEL_EXPORTER_OTLP_ENDPOINT: '' });
    logDir = await mkdtemp(join(tmpdir(), 'gm-slo-prometheus-'));
    const logFile = join(logDir, `${SERVICE}.log`);
    service = spawnServer({ name: SERVICE, command: process.execPath, args: [...IMAGE_NODE_OPTIONS, join(REPO, 'apps', SERVICE, 'src', 'main.ts')], env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, logFile, cwd: REPO });
    await waitFor(async () => ((await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200 ? true : undefined), {
      what: `${SERVICE} on port ${port}`, timeoutMs: 60_000, abort: service.exited, detail: () => tailFile(logFile, 30),
    });
    prometheus = await startPrometheus({ scrape: [{ job: SERVICE, target: `127.0.0.1:${port}`, labels: { namespace: NAMESPACE, service: SERVICE, rollouts_pod_template_hash: POD_HASH } }], rules: sloRuleGroups(), interval: '1s' });

    const valid = () => JSON.stringify(makeEvent('game-slo', 'player-slo'));
    for (let r = 0; r < ROUNDS; r++) {
      statuses.push(...(await Promise.all(ROUND.map((q) => post(port, q.valid ? valid() : '{}', q.slow)))));
      await sleep(300);
    }
    // Every answer scraped, then one more evaluation of the rules.
    const sent = statuses.length;
    await waitFor(async () => {
      const [total] = await prometheus.query(`sum(http_requests_total{service="${SERVICE}",route="/v1/events"})`);
      return total?.value === sent ? true : undefined;
    }, { what: `Prometheus to scrape all ${sent} requests`, timeoutMs: 30_000, detail: () => tailFile(prometheus.logFile) });
    await sleep(2_500);
  });

  after(async () => {
    await prometheus?.stop();
    await service?.stop();
    if (logDir) await rm(logDir, { recursive: true, force: true });
  });

  test('the traffic had the intended shares: valid events 503 (Kafka unavailable), invalid bodies 400', () => {
    assert.equal(statuses.length, ROUNDS * ROUND.length);
    assert.equal(statuses.filter((s) => s === 503).length, ROUNDS * 2);
    assert.equal(statuses.filter((s) => s === 400).length, ROUNDS * 8);
  });

  for (const [slo, share] of [['availability', ERROR_SHARE], ['latency', SLOW_SHARE]] as const)
    test(`slo:sli_error:ratio_rate5m of the ${slo} SLO is ${share} ± ${TOLERANCE}, with the budget series beside it`, async () => {
      const selector = `{tenant="${NAMESPACE}",service="${SERVICE}",slo="${slo}"}`;
      const [ratio] = await prometheus.query(`slo:sli_error:ratio_rate5m${selector}`);
      assert.ok(ratio, `no slo:sli_error:ratio_rate5m${selector}; log:\n${tailFile(prometheus.logFile)}`);
      assert.deepEqual(ratio.metric, { __name__: 'slo:sli_error:ratio_rate5m', tenant: NAMESPACE, service: SERVICE, slo });
      assert.ok(Math.abs(ratio.value - share) <= TOLERANCE, `ratio ${ratio.value}, expected ${share}`);
      const [hour] = await prometheus.query(`slo:sli_error:ratio_rate1h${selector}`);
      assert.ok(Math.abs(hour.value - share) <= TOLERANCE, `1h ratio ${hour.value}, expected ${share}`);
      const [budget] = await prometheus.query(`slo:error_budget:ratio${selector}`);
      const [burn] = await prometheus.query(`slo:current_burn_rate:ratio${selector}`);
      assert.ok(Math.abs(burn.value - ratio.value / budget.value) < 1e-6 * burn.value, `burn ${burn.value} = ratio / budget`);
      // Far above 14.4 × the budget over both short windows: the page alert is pending or firing already.
      const alerts = await prometheus.query(`ALERTS{alertname="SLOErrorBudgetBurnPage",slo="${slo}",service="${SERVICE}"}`);
      assert.equal(alerts.length, 1, `page alert for ${slo}: ${JSON.stringify(alerts)}`);
      assert.equal(alerts[0].metric.severity, 'critical');
    });

  test("the rendered canary analysis judges the pods of the hash it is given: the breach for this pod's hash, nothing for another", async () => {
    const metrics = analysisMetrics();
    assert.deepEqual(metrics.map((m) => m.name), ['availability', 'latency']);
    for (const [i, share] of [ERROR_SHARE, SLOW_SHARE].entries()) {
      const query = metrics[i].provider.prometheus.query;
      // Argo Rollouts substitutes {{args.pod-template-hash}} with the latest ReplicaSet's hash.
      const [mine] = await prometheus.query(query.replaceAll('{{args.pod-template-hash}}', POD_HASH));
      assert.ok(mine && Math.abs(mine.value - share) <= TOLERANCE, `${metrics[i].name} for the scraped pod's hash: ${JSON.stringify(mine)}, expected ${share}`);
      // Above the budget: the failure condition holds (result[0] > budget), so the rollout aborts.
      const budget = Number(/result\[0\] > ([0-9.e-]+)/.exec(metrics[i].failureCondition)?.[1]);
      assert.ok(budget > 0 && mine.value > budget, `${metrics[i].name}: ${mine.value} > budget ${budget}`);
      // Another version's pods sent nothing: an empty result, which the success condition accepts.
      assert.deepEqual(await prometheus.query(query.replaceAll('{{args.pod-template-hash}}', 'other0hash')), []);
      assert.match(metrics[i].successCondition, /^len\(result\) == 0 \|\|/);
    }
  });

  test('probe and scrape requests are not in the SLI: /metrics was scraped, and is absent from the ratio\'s inputs', async () => {
    const [scrapes] = await prometheus.query(`sum(http_requests_total{service="${SERVICE}",route="/metrics"})`);
    assert.ok(scrapes && scrapes.value > 0, 'Prometheus scraped /metrics through the app');
  });
});
