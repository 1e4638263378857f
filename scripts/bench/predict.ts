/**
 * `npm run bench:predict [-- --seconds S --connections C --rate R]`
 *
 * prediction-api as the tests boot it (apps/test/prediction-fixture.ts: rendered/dev configuration,
 * real PostgreSQL, Redis and MinIO, a trained and promoted model) on the real clock, driven over loopback by
 * autocannon in a separate process (scripts/bench/predict-load.ts) with POST /v1/predict:
 *   1. at R req/s (default 1,000) with an API key whose tier is limited: authentication (the key, cached
 *      per replica) and the Redis sliding-window log + daily quota on every request. The tier is the rendered
 *      tiers plus one, `bench`, whose limits are too high to refuse anything: the limiter does all its work
 *      and the figures measure serving, not refusals;
 *   2. the alternative in the same run: the same rate with an `enterprise` key (authenticated, never
 *      limited, no Redis call), so the limiter's cost is the ratio of the two;
 *   3. the maximum sustained throughput: run 1 without a rate cap.
 * The machine is shared (other work, PostgreSQL, Redis, MinIO and autocannon on the same cores), so besides
 * wall-clock latency the bench reports CPU milliseconds per request of the service and of Redis (from
 * /proc), and the requests/s that cost allows on one dedicated core.
 * Prints a Markdown table (copy it into docs/BENCHMARKS.md).
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { trainAndPublish } from '../../apps/model-training/src/publish.ts';
import { call, startFixture } from '../../apps/test/prediction-fixture.ts';
import { REPO } from '../../apps/test/stack.ts';
import { exitUsage, parseCommand } from '../cli/command.ts';
import { cpuMeter, pidListeningOn } from './cpu-accounting.ts';

const spec = {
  name: 'bench:predict',
  usage: `Usage: npm run bench:predict [-- options]

Drives prediction-api (rendered/dev config, real PostgreSQL, Redis and MinIO) with autocannon and prints p50/p95/p99
at a fixed rate with auth and rate limiting on, the same without the limiter, and the maximum throughput.
  --seconds S       duration of each run (default 20)
  --connections C   autocannon connections (default 64)
  --rate R          requests/s of the fixed-rate runs (default 1000)
  -h, --help        show this help`,
  options: {
    seconds: { type: 'string', default: '20' },
    connections: { type: 'string', default: '64' },
    rate: { type: 'string', default: '1000' },
  },
} as const;
const { values } = parseCommand(spec);
const [seconds, connections, rate] = [Number(values.seconds), Number(values.connections), Number(values.rate)];
for (const [k, v] of Object.entries({ seconds, connections, rate })) if (!Number.isInteger(v) || v < 1) exitUsage(spec, `--${k} must be a positive integer (got ${v})`);
const log = (msg: string) => process.stderr.write(`[bench:predict] ${msg}\n`);

interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
}

const cpu = new Map<LoadResult, Record<string, number>>();

async function measured(url: string, key: string, rateCap?: number): Promise<LoadResult> {
  const m = cpuMeter({ service: process.pid, redis: pidListeningOn(fx.redis.port) });
  const r = await load(url, key, rateCap);
  cpu.set(r, m.delta());
  return r;
}

function load(url: string, key: string, rateCap?: number): Promise<LoadResult> {
  const args = {
    url,
    headers: { 'content-type': 'application/json', 'x-api-key': key },
    body: JSON.stringify({ latitude: 48.14, longitude: 11.58, temperatureC: 21, humidityPct: 55, pm25: 8, windSpeedMs: 3 }),
    connections,
    durationS: seconds,
    rate: rateCap,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO, 'scripts/bench/predict-load.ts'), JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load generator exited with ${code}`))));
  });
}

const fx = await startFixture();
try {
  const tiers = `${fx.env.RATE_LIMIT_TIERS},bench=6000000/unlimited/6000000`;
  const server = await fx.start({ RATE_LIMIT_TIERS: tiers, LOG_LEVEL: 'error', MODEL_REFRESH_MS: '10000' }, Date.now);
  const version = (await trainAndPublish(fx.store, { seed: 1, samples: 5000, now: new Date() })).version;
  const keys: Record<string, string> = {};
  let adminToken = '';
  for (const tier of ['bench', 'enterprise']) {
    const username = `bench-${tier}`;
    const password = `bench-password-${tier}`;
    const reg = await call(`${server.url}/v1/auth/register`, { body: { username, password } });
    await fx.admin.query('UPDATE geo_users SET tier = $2 WHERE id = $1', [reg.body.id, tier]);
    if (tier === 'enterprise') await fx.admin.query("INSERT INTO geo_user_roles (user_id, role) VALUES ($1, 'model-admin')", [reg.body.id]);
    const token = (await call(`${server.url}/v1/oauth/token`, { form: { grant_type: 'password', username, password } })).body.access_token;
    if (tier === 'enterprise') adminToken = token;
    keys[tier] = (await call(`${server.url}/v1/api-keys`, { headers: { authorization: `Bearer ${token}` }, body: { name: 'bench' } })).body.key;
  }
  const promoted = await call(`${server.url}/v1/models/${version}/promote`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}` } });
  if (promoted.status !== 200) throw new Error(`promotion failed: ${JSON.stringify(promoted.body)}`);
  const url = `${server.url}/v1/predict`;
  log(`warm-up (${seconds} s)`);
  await load(url, keys.bench, rate).catch(() => undefined);
  log(`1. ${rate} req/s, limited tier (auth + Redis limiter), ${seconds} s`);
  const limited = await measured(url, keys.bench, rate);
  log(`2. ${rate} req/s, enterprise (auth, no limiter), ${seconds} s`);
  const unlimited = await measured(url, keys.enterprise, rate);
  log(`3. maximum throughput, limited tier, ${seconds} s`);
  const max = await measured(url, keys.bench);
  const row = (name: string, r: LoadResult) => {
    const c = cpu.get(r)!;
    const perRequest = (seconds: number) => (seconds * 1000) / r.requests;
    return `| ${name} | ${Math.round(r.rps)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} | ${perRequest(c.service).toFixed(3)} | ${perRequest(c.redis).toFixed(3)} | ${Math.round(1000 / perRequest(c.service))} | ${Object.entries(r.statuses).map(([s, n]) => `${s}: ${n}`).join(', ')}${r.errors + r.timeouts > 0 ? `; errors ${r.errors}, timeouts ${r.timeouts}` : ''} |`;
  };
  process.stdout.write(
    [
      `load average (1 min) at the end: ${loadavg()[0].toFixed(1)}; ${seconds} s per run, ${connections} connections`,
      '',
      '| run | req/s | p50 ms | p95 ms | p99 ms | service CPU ms/req | Redis CPU ms/req | req/s per dedicated core (service) | statuses |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
      row(`${rate} req/s, API key, limited tier (Redis sliding window + quota)`, limited),
      row(`${rate} req/s, API key, enterprise (no limiter)`, unlimited),
      row('no rate cap, limited tier (maximum throughput)', max),
      '',
      `p95 ratio limited / unlimited: ${(limited.p95 / unlimited.p95).toFixed(2)}; target p95 < 100 ms at ${rate} req/s: ${limited.p95 < 100 && limited.rps >= rate * 0.95 ? 'met' : 'NOT met'}`,
      '',
    ].join('\n'),
  );
} finally {
  await fx.stop();
}
