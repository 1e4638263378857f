// `npm run render` on broken models, as a user would break them: each mutation is a text edit to one model
// or environment file of a scratch copy of the repository. Every one must exit 1, name the edited file and
// the line of the edit, print no stack trace, and leave rendered/ and docs/ exactly as they were.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { scratchCheckout } from '../../render/testdata/scratch-checkout.ts';
import { listFiles } from '../../render/tree-writer.ts';

const repo = join(import.meta.dirname, '..', '..');

interface Mutation {
  name: string;
  file: string;
  /** Text (or a pattern) that occurs once in the file. */
  find: string | RegExp;
  replace: string;
  /** Text on the line the problem must point at, in the edited file (default: the replacement's first line). */
  at?: string;
  /** What the problem on that line says. */
  says: RegExp;
  /** The number of problems, when it matters (a setting reported once, not per service). */
  count?: number;
}

const GM = 'model/tenants/gamemetrics.ts';
const GEO = 'model/tenants/geo-climate.ts';
const PROD = 'environments/prod/index.ts';
const DEV = 'environments/dev/index.ts';

const mutations: Mutation[] = [
  // Unknown keys, with "did you mean".
  { name: 'scaling: { replica: 2 }', file: GM, find: 'scaling: { autoscale: { minReplicas: 2, maxReplicas: 8 } },', replace: 'scaling: { replica: 2 },', says: /unknown key "replica" \(did you mean "replicas"\?\)/ },
  { name: 'replicass on a service', file: GM, find: "image: 'registry.gamemetrics.dev/gamemetrics/analytics-api',", replace: "image: 'registry.gamemetrics.dev/gamemetrics/analytics-api',\n      replicass: 3,", at: 'replicass: 3', says: /unknown key "replicass" \(did you mean scaling: \{ replicas: … \}\?\)/ },
  { name: 'replica in an environment override', file: PROD, find: '  services: {\n', replace: "  services: {\n    'notification-service': { scaling: { replica: 3 } },\n", at: "'notification-service': { scaling: { replica: 3 } },", says: /environments\.prod\.services\.notification-service\.scaling\.replica: unknown key "replica" \(did you mean "replicas"\?\)/ },
  { name: 'a tenant key misspelt', file: GM, find: "costCentre: 'cc-1001-gamemetrics',", replace: "costCenter: 'cc-1001-gamemetrics',", says: /unknown key "costCenter" \(did you mean "costCentre"\?\)/ },
  { name: 'an SLO key misspelt', file: GM, find: "{ name: 'latency', kind: 'latency', objective: 99, thresholdMs: 100,", replace: "{ name: 'latency', kind: 'latency', objective: 99, thresholdMS: 100,", says: /unknown key "thresholdMS" \(did you mean "thresholdMs"\?\)/ },
  { name: 'a topic key misspelt', file: 'model/topics.ts', find: "description: 'Recommendations per player, newest wins.',", replace: "description: 'Recommendations per player, newest wins.',\n    partition: 3,", at: 'partition: 3', says: /unknown key "partition" \(did you mean "partitions"\?\)/ },
  { name: 'a datastore key misspelt', file: 'model/datastores.ts', find: "database: 'gamemetrics-archive',", replace: "databse: 'gamemetrics-archive',", says: /unknown key "databse" \(did you mean "database"\?\)/ },
  { name: 'a policies key misspelt', file: 'model/policies.ts', find: 'approvedRegistries:', replace: 'approvedRegistry:', says: /unknown key "approvedRegistry"/ },
  // Enum values and constants.
  { name: "access: 'readonly'", file: GM, find: "datastores: [{ name: 'timescaledb', access: 'read' }", replace: "datastores: [{ name: 'timescaledb', access: 'readonly' }", says: /unknown access "readonly" \(expected one of: read, read-write\)/ },
  { name: 'a service kind misspelt', file: GM, find: "kind: 'cron-job',", replace: "kind: 'cronjob',", says: /unknown kind "cronjob" \(did you mean "cron-job"\?\)/ },
  { name: 'an SLO kind misspelt', file: GM, find: "kind: 'availability', objective: 99.9, description: 'Players can sign in", replace: "kind: 'availabilty', objective: 99.9, description: 'Players can sign in", says: /unknown kind "availabilty" \(did you mean "availability"\?\)/ },
  { name: 'a cleanup policy that does not exist', file: 'model/topics.ts', find: "retention: '1d',", replace: "retention: '1d',\n    cleanupPolicy: 'compacted',", at: "cleanupPolicy: 'compacted'", says: /unknown cleanupPolicy "compacted" \(did you mean "compact"\?\)/ },
  { name: 'a datastore engine that does not exist', file: 'model/datastores.ts', find: "engine: 'redis',", replace: "engine: 'redis-cluster',", says: /unknown engine "redis-cluster"/ },
  { name: 'an environment tier misspelt', file: PROD, find: "tier: 'production',", replace: "tier: 'prod',", says: /unknown tier "prod"/ },
  { name: 'another model version', file: 'model/platform.ts', find: "apiVersion: 'gamemetrics.dev/v1',", replace: "apiVersion: 'gamemetrics.dev/v2',", says: /unknown apiVersion "gamemetrics.dev\/v2"/ },
  // Wrong types and missing keys.
  { name: 'a boolean written as a string', file: GM, find: 'handlesPersonalData: true,', replace: "handlesPersonalData: 'yes',", says: /must be a boolean, got "yes"/ },
  { name: 'a domain written as a number', file: DEV, find: "domain: 'dev.gamemetrics.dev',", replace: 'domain: 42,', says: /must be a string, got 42/ },
  { name: 'resources as a number', file: GEO, find: "resources: 'medium',", replace: 'resources: 2,', says: /must be a string or an object, got 2/ },
  { name: 'a required description removed', file: GM, find: "description: 'Delivers recommendations and account messages to players.',\n", replace: '', at: "'notification-service': {", says: /missing required key "description"/ },
  // Value checks: cron, durations, quantities, DNS labels, percentages, digests, counts, ports, names, dates.
  { name: "an impossible cron schedule '0 27 * * *'", file: GM, find: "schedule: '17,47 * * * *',", replace: "schedule: '0 27 * * *',", says: /"0 27 \* \* \*": hour 27 is outside 0–23/ },
  { name: 'a cron schedule of four fields', file: GEO, find: "schedule: '0 2 * * 0',", replace: "schedule: '0 2 * *',", says: /has 4 fields, not five/ },
  { name: 'a retention that is not a duration', file: 'model/topics.ts', find: "retention: '3d',", replace: "retention: '3 days',", says: /"3 days" is not a duration/ },
  { name: 'an SLO window that is not a duration', file: GM, find: "objective: 99.9, description: 'Players can sign in and manage consent.' }", replace: "objective: 99.9, window: '30 days', description: 'Players can sign in and manage consent.' }", says: /"30 days" is not a duration/ },
  { name: 'a CPU quota that is not a quantity', file: GM, find: "requests: { cpu: '16', memory: '32Gi' },", replace: "requests: { cpu: '16 cores', memory: '32Gi' },", says: /"16 cores" is not a CPU quantity/ },
  { name: 'a memory limit that is not a quantity', file: GM, find: "limits: { cpu: '48', memory: '96Gi' },", replace: "limits: { cpu: '48', memory: '96GB' },", says: /"96GB" is not a memory quantity/ },
  { name: 'a resource profile that is not a quantity', file: 'model/platform.ts', find: "small: { requests: { cpu: '100m'", replace: "small: { requests: { cpu: '100 m'", says: /"100 m" is not a CPU quantity/ },
  { name: 'broker storage that is not a quantity', file: DEV, find: "storage: '20Gi' }", replace: "storage: '20 GB' }", says: /"20 GB" is not a memory quantity/ },
  { name: 'a namespace that is not a DNS label', file: GM, find: "namespaces: ['gamemetrics'],", replace: "namespaces: ['GameMetrics'],", says: /"GameMetrics" is not a DNS label/ },
  { name: 'an ingress host that is not a DNS label', file: GM, find: "ingress: { host: 'analytics', path: '/v1' },", replace: "ingress: { host: 'Analytics.API', path: '/v1' },", says: /"Analytics.API" is not a DNS label/ },
  { name: 'a region cluster name that is not a DNS label', file: PROD, find: "name: 'gm-prod-euc1',", replace: "name: 'GM_PROD_EUC1',", says: /"GM_PROD_EUC1" is not a DNS label/ },
  { name: 'a region mirroring an undeclared cluster', file: PROD, find: "mirrorFrom: 'gm-prod'", replace: "mirrorFrom: 'gm-prod-east'", says: /"gm-prod-east" names no declared cluster.*name one of the environment's clusters: gm-prod/, count: 1 },
  { name: 'two regions with the same cluster name', file: PROD, find: "name: 'gm-prod-euc1',", replace: "name: 'gm-prod', // the primary's name again", says: /cluster name "gm-prod" is already the primary region's/, count: 1 },
  { name: 'an SLO objective of 0', file: GM, find: "objective: 99.5, maxConsumerLag: 10000, description: 'Processing keeps up", replace: "objective: 0, maxConsumerLag: 10000, description: 'Processing keeps up", says: /0 is not a percentage in \(0, 100\]/ },
  { name: 'an SLO objective of 100', file: GM, find: "objective: 99.9, description: 'Dashboards and game clients can read stats.'", replace: "objective: 100, description: 'Dashboards and game clients can read stats.'", says: /objective 100 leaves no error budget/ },
  { name: 'a latency threshold that is no histogram bucket', file: GM, find: "objective: 99, thresholdMs: 300,", replace: "objective: 99, thresholdMs: 350,", says: /350 ms is not a bucket boundary of http_request_duration_seconds \(apps\/lib\/http-buckets\.ts exports .*\).*use 300 or 500, or add 0\.35 to HTTP_DURATION_BUCKETS_SECONDS/ },
  { name: 'a freshness SLO without its lag limit', file: GM, find: "objective: 99.5, maxConsumerLag: 10000, description: 'Processing keeps up", replace: "objective: 99.5, description: 'Processing keeps up", says: /a freshness SLO needs maxConsumerLag/ },
  { name: 'a canary for a kafka worker', file: GM, find: "transactionalIds: Array.from", replace: "delivery: 'canary', transactionalIds: Array.from", says: /canary delivery is for HTTP services; a kafka-worker serves no traffic to shift/ },
  { name: 'an environment-wide cpuUtilization of 170', file: PROD, find: 'cpuUtilization: 70, memoryUtilization: 80 }', replace: 'cpuUtilization: 170, memoryUtilization: 80 }', says: /environments\.prod\.autoscaling\.cpuUtilization: 170 is not a percentage in \(0, 100\]/, count: 1 },
  { name: 'a config key that is not an environment variable', file: GM, find: "config: { MAX_BATCH_EVENTS: '500'", replace: "config: { max_batch_events: '500'", says: /"max_batch_events" is not an environment variable name \(use UPPER_SNAKE_CASE\)/ },
  { name: 'negative replicas', file: GM, find: "scaling: { replicas: 2 },\n      // Quarkus serves health", replace: "scaling: { replicas: -1 },\n      // Quarkus serves health", says: /-1 is not a non-negative integer/ },
  { name: 'a rate limit of zero', file: GEO, find: "{ name: 'free', requestsPerMinute: 60, dailyQuota: 1000, burst: 100 },", replace: "{ name: 'free', requestsPerMinute: 0, dailyQuota: 1000, burst: 100 },", says: /0 is not a positive integer/ },
  { name: 'a port above 65535', file: GM, find: "ingress: { host: 'admin' },", replace: "ingress: { host: 'admin' },\n      ports: [{ name: 'http', port: 70000 }],", at: 'port: 70000', says: /port 70000 is outside 1–65535/ },
  { name: 'a datastore port of 0', file: 'model/datastores.ts', find: 'port: 6379,', replace: 'port: 0,', says: /port 0 is outside 1–65535/ },
  { name: 'a component wave that is not a whole number', file: 'model/components.ts', find: "wave: -3,\n    clusterResources: [{ group: '', kind: 'Namespace' }],", replace: "wave: -2.5,\n    clusterResources: [{ group: '', kind: 'Namespace' }],", says: /-2.5 is not an integer/ },
  { name: 'a waiver expiry that is not a date', file: 'model/policies.ts', find: '  waivers: [\n', replace: "  waivers: [\n    { rule: 'best-practices/replicas', target: 'admin-dashboard', reason: 'Single replica until the cache is shared.', expires: '2026-13-01', approvedBy: 'platform-team' },\n", at: "expires: '2026-13-01'", says: /"2026-13-01" is not a date/ },
  { name: 'a Kubernetes version that is not one', file: PROD, find: "kubernetesVersion: '1.34',", replace: "kubernetesVersion: '1.3x',", says: /"1.3x" is not a Kubernetes minor version/ },
  { name: 'a quota override that is not a quantity', file: PROD, find: "gamemetrics: { requests: { cpu: '64',", replace: "gamemetrics: { requests: { cpu: '64 cores',", says: /"64 cores" is not a CPU quantity/ },
  { name: 'a digest cut short', file: 'environments/prod/images.ts', find: "'event-ingestion': 'sha256:31533e49e1aeb07b61023acbb933f44c610fd52d799c4a85606307296f371096',", replace: "'event-ingestion': 'sha256:31533e49',", says: /"sha256:31533e49" is not a sha256 digest/ },
  // Cross-references and relations between values.
  { name: 'a digest removed from environments/staging/images.ts', file: 'environments/staging/images.ts', find: /\n {2}'analytics-api': 'sha256:[0-9a-f]{64}',/, replace: '', at: 'export const images', says: /no image digest for service "analytics-api"/ },
  { name: 'a produced topic misspelt', file: GM, find: "produces: ['player.events.raw'],", replace: "produces: ['player.event.raw'],", says: /unknown topic "player.event.raw" \(did you mean "player.events.raw"\?\)/ },
  { name: 'a called service misspelt', file: GM, find: "calls: ['user-service'],", replace: "calls: ['user-svc'],", says: /unknown service "user-svc"/ },
  { name: 'a datastore misspelt', file: GM, find: "datastores: [{ name: 'qdrant' }, { name: 'redis' }, { name: 'timescaledb' }],", replace: "datastores: [{ name: 'qdrnt' }, { name: 'redis' }, { name: 'timescaledb' }],", says: /unknown datastore "qdrnt" \(did you mean "qdrant"\?\)/ },
  { name: 'a resource profile misspelt', file: GM, find: "resources: 'large',\n      scaling: { autoscale: { minReplicas: 2, maxReplicas: 6 } },", replace: "resources: 'larg',\n      scaling: { autoscale: { minReplicas: 2, maxReplicas: 6 } },", says: /unknown resource profile "larg" \[in dev, staging\] \(did you mean "large"\?\)/ },
  { name: 'a dead-letter topic that is not one', file: GM, find: "deadLetter: 'player.events.raw.dlq'", replace: "deadLetter: 'player.events.processed'", says: /topic "player.events.processed" is not a dead-letter topic/ },
  { name: 'an image with a tag', file: GM, find: "image: 'registry.gamemetrics.dev/gamemetrics/user-service',", replace: "image: 'registry.gamemetrics.dev/gamemetrics/user-service:1.2',", says: /carries a tag or digest/ },
  { name: 'a topic owned by an unknown tenant', file: 'model/topics.ts', find: "description: 'Validated, de-duplicated and enriched events, keyed by player id.',\n    owner: 'gamemetrics',", replace: "description: 'Validated, de-duplicated and enriched events, keyed by player id.',\n    owner: 'gamemetric',", at: "owner: 'gamemetric',", says: /unknown tenant "gamemetric" \(did you mean "gamemetrics"\?\)/ },
  { name: 'an override for an unknown topic', file: PROD, find: "'player.events.raw': { partitions: 12 },", replace: "'player.event.raw': { partitions: 12 },", says: /unknown topic "player.event.raw" \(did you mean "player.events.raw"\?\)/ },
  { name: 'an override for an unknown service', file: PROD, find: "'recommendation-engine': { resources:", replace: "'recommendation-engin': { resources:", says: /unknown service "recommendation-engin" \(did you mean "recommendation-engine"\?\)/ },
  { name: 'HPA bounds crossed in a service', file: GM, find: 'scaling: { autoscale: { minReplicas: 2, maxReplicas: 12 } },', replace: 'scaling: { autoscale: { minReplicas: 13, maxReplicas: 12 } },', says: /HPA minReplicas 13 is greater than maxReplicas 12/ },
  { name: 'HPA bounds crossed environment-wide', file: PROD, find: 'autoscaling: { minReplicas: 3, maxReplicas: 20,', replace: 'autoscaling: { minReplicas: 30, maxReplicas: 20,', says: /environments\.prod\.autoscaling: HPA minReplicas 30 is greater than maxReplicas 20/, count: 1 },
  { name: 'min.insync.replicas above replication', file: PROD, find: 'minInsyncReplicas: 2,', replace: 'minInsyncReplicas: 4,', says: /min.insync.replicas 4 is higher than replication 3/, count: 1 },
  { name: 'an even number of KRaft controllers', file: PROD, find: 'controllers: 3,', replace: 'controllers: 4,', says: /4 dedicated controllers/ },
  { name: "a topic replicated beyond dev's one broker", file: 'model/topics.ts', find: "description: 'Player events as accepted by event-ingestion, keyed by player id.',", replace: "description: 'Player events as accepted by event-ingestion, keyed by player id.',\n    replication: 3,", at: 'replication: 3', says: /replication 3 is higher than the 1 broker\(s\) of dev/ },
  { name: 'a waiver that has expired', file: 'model/policies.ts', find: '  waivers: [\n', replace: "  waivers: [\n    { rule: 'best-practices/replicas', target: 'admin-dashboard', reason: 'Single replica until the cache is shared.', expires: '2026-01-31', approvedBy: 'platform-team' },\n", at: "expires: '2026-01-31'", says: /expired on 2026-01-31/ },
  // Syntax errors: file:line:column, the line and a caret.
  { name: 'a missing comma in a model file', file: 'model/topics.ts', find: "owner: 'gamemetrics',\n    retention: '7d',", replace: "owner: 'gamemetrics'\n    retention: '7d',", at: "retention: '7d',", says: /:5: syntax error: ',' expected\./ },
  { name: 'an unterminated string in an environment file', file: PROD, find: "tier: 'production',", replace: "tier: 'production,", says: /syntax error: Unterminated string literal\./ },
];

const scratchRepo = () => scratchCheckout('gm-mutations-');

/** One hash over every file of rendered/ and docs/: their paths and contents. */
function outputHash(dir: string): string {
  const hash = createHash('sha256');
  for (const folder of ['rendered', 'docs']) {
    for (const path of listFiles(join(dir, folder))) hash.update(`${folder}/${path}\0`).update(readFileSync(join(dir, folder, path))).update('\0');
  }
  return hash.digest('hex');
}

function render(dir: string): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(dir, 'scripts/render.ts')], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

interface Outcome { mutation: Mutation; line: number; status: number | null; stderr: string; unchanged: boolean }

/** Apply, render, restore: one mutation at a time in `dir`. */
async function runAll(dir: string, batch: Mutation[], before: string): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const mutation of batch) {
    const file = join(dir, mutation.file);
    const source = readFileSync(file, 'utf8');
    const find = mutation.find;
    const matches = typeof find === 'string' ? source.split(find).length - 1 : (source.match(new RegExp(find, 'g')) ?? []).length;
    assert.equal(matches, 1, `${mutation.name}: ${String(find)} must occur once in ${mutation.file}`);
    const edited = source.replace(find, () => mutation.replace);
    const at = mutation.at ?? mutation.replace.split('\n')[0].trim();
    const line = edited.split('\n').findIndex((l) => l.includes(at)) + 1;
    assert.ok(line > 0, `${mutation.name}: "${at}" not in the edited file`);
    writeFileSync(file, edited);
    try {
      const { status, stderr } = await render(dir);
      outcomes.push({ mutation, line, status, stderr, unchanged: outputHash(dir) === before });
    } finally {
      writeFileSync(file, source);
    }
  }
  return outcomes;
}

describe('render refuses broken models: exit 1, the edited file and line, no stack trace, nothing written', () => {
  const PARALLEL = 3;
  const dirs: string[] = [];
  let outcomes: Outcome[] = [];
  before(async () => {
    for (let i = 0; i < PARALLEL; i++) dirs.push(scratchRepo());
    const before = outputHash(dirs[0]);
    const batches = dirs.map((_, i) => mutations.filter((_, j) => j % PARALLEL === i));
    outcomes = (await Promise.all(dirs.map((dir, i) => runAll(dir, batches[i], before)))).flat();
  });
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  test('there are at least 40 distinct mutations', () => {
    assert.ok(mutations.length >= 40, `${mutations.length}`);
    assert.equal(new Set(mutations.map((m) => `${m.file}\0${String(m.find)}\0${m.replace}`)).size, mutations.length);
  });

  for (const mutation of mutations) {
    test(mutation.name, () => {
      const outcome = outcomes.find((o) => o.mutation === mutation);
      assert.ok(outcome, 'not run');
      const { line, status, stderr } = outcome;
      assert.equal(status, 1, stderr);
      const where = `${mutation.file}:${line}:`;
      const reported = stderr.split('\n').filter((l) => l.includes(where));
      assert.ok(reported.some((l) => mutation.says.test(l)), `expected a problem at ${where} matching ${mutation.says}, got:\n${stderr}`);
      assert.doesNotMatch(stderr, /^\s+at .+:\d+:\d+\)?$|node:internal|internal error/m, 'no stack trace, no internal error');
      if (mutation.count !== undefined) assert.match(stderr, new RegExp(`The model has ${mutation.count} problem${mutation.count === 1 ? '' : 's'}:`));
      assert.ok(outcome.unchanged, 'rendered/ and docs/ are untouched');
    });
  }
});
