// npm run cost: requested capacity per tenant and environment at minimum and maximum scale, priced at the
// model's list prices; figures checked against the model's own services, both formats parsed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadEnvironments } from '../../render/render.ts';
import { costMarkdown, costRows, costText } from './cost-report.ts';

const TODAY = '2026-11-30';
const models = loadEnvironments(['dev', 'staging', 'prod'], { today: TODAY });
const repo = join(import.meta.dirname, '..', '..');

describe('cost report', () => {
  const rows = costRows(models);

  test('one row per tenant and environment', () => {
    assert.deepEqual(rows.map((r) => `${r.env}/${r.tenant}`), ['dev/gamemetrics', 'dev/geo-climate', 'staging/gamemetrics', 'staging/geo-climate', 'prod/gamemetrics', 'prod/geo-climate']);
  });

  test('prod geo-climate: the prediction API at its HPA bounds, the training cron job idle at minimum and one pod at maximum, in each of prod\'s two regions', () => {
    const prod = models.find((m) => m.environment.name === 'prod')!;
    const regions = prod.environment.regions.length;
    assert.equal(regions, 2);
    const api = prod.services.find((s) => s.name === 'prediction-api')!;
    const training = prod.services.find((s) => s.name === 'model-training')!;
    assert.equal(api.scaling.mode, 'autoscale');
    if (api.scaling.mode !== 'autoscale') return;
    const cores = (q: string) => (q.endsWith('m') ? Number(q.slice(0, -1)) / 1000 : Number(q));
    const row = rows.find((r) => r.env === 'prod' && r.tenant === 'geo-climate')!;
    assert.ok(Math.abs(row.min.cpu - regions * api.scaling.minReplicas * cores(api.resources.requests.cpu)) < 1e-9);
    assert.ok(Math.abs(row.max.cpu - regions * (api.scaling.maxReplicas * cores(api.resources.requests.cpu) + cores(training.resources.requests.cpu))) < 1e-9);
    const staging = rows.find((r) => r.env === 'staging' && r.tenant === 'geo-climate')!;
    const stagingModel = models.find((m) => m.environment.name === 'staging')!;
    assert.equal(stagingModel.environment.regions.length, 1, 'single-region environments count once');
    assert.ok(staging.min.cpu > 0);
    const { cpuCoreHour, memoryGiBHour, hoursPerMonth } = prod.capacity.prices;
    assert.ok(Math.abs(row.max.monthly - (row.max.cpu * cpuCoreHour + row.max.memoryGiB * memoryGiBHour) * hoursPerMonth) < 1e-9);
    assert.ok(row.max.monthly > row.min.monthly);
  });

  test('text and markdown carry the same figures; markdown is a table with one line per row and a total per environment', () => {
    const markdown = costMarkdown(models).split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| environment'));
    assert.equal(markdown.length, rows.length + 3);
    const prodGeo = markdown.find((l) => l.startsWith('| prod | geo-climate |'))!.split('|').map((c) => c.trim());
    const row = rows.find((r) => r.env === 'prod' && r.tenant === 'geo-climate')!;
    assert.equal(prodGeo[8], row.max.monthly.toFixed(2));
    const text = costText(models).split('\n').find((l) => /^prod\s+geo-climate\s/.test(l))!;
    assert.equal(text.trim().split(/\s+/).at(-1), row.max.monthly.toFixed(2));
    assert.match(costText(models), /^List prices: 0\.0316 USD per requested core-hour/);
  });

  test('the command prints markdown for one environment and refuses an unknown one', () => {
    const ok = spawnSync(process.execPath, [join(repo, 'scripts/cost.ts'), '--env', 'staging', '--format', 'markdown'], { cwd: repo, encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stderr);
    assert.deepEqual(ok.stdout.split('\n').filter((l) => l.startsWith('| staging')).map((l) => l.split('|')[2].trim()), ['gamemetrics', 'geo-climate', '(all tenants)']);
    const bad = spawnSync(process.execPath, [join(repo, 'scripts/cost.ts'), '--env', 'qa'], { cwd: repo, encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /cost: unknown environment "qa"; known: dev, staging, prod/);
  });
});
