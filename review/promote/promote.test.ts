// Promotion in a throwaway repository: only the right digest lines change, and the forbidden cases
// are refused with every reason.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type FixtureRepo, fixtureRepo } from '../diff/fixture-repo.ts';
import { parseImages, writeDigests } from './images-file.ts';
import { promote, PromotionError } from './promote.ts';

const NODE = process.execPath;
const NEW_DIGEST = `sha256:${'ab'.repeat(32)}`;
const UNRENDERED_DIGEST = `sha256:${'cd'.repeat(32)}`;
let repo: FixtureRepo;

const imagesFile = (env: string) => join(repo.dir, 'environments', env, 'images.ts');
const images = (env: string) => parseImages(`${env}/images.ts`, readFileSync(imagesFile(env), 'utf8'));
const pin = (env: string, service: string, digest: string) =>
  writeFileSync(imagesFile(env), writeDigests('images.ts', readFileSync(imagesFile(env), 'utf8'), { [service]: digest }));

/** Lines that differ between two versions of a file (same line count expected). */
function changedLines(before: string, after: string): Array<[string, string]> {
  const a = before.split('\n');
  const b = after.split('\n');
  assert.equal(a.length, b.length, 'promotion adds or removes no lines');
  return a.flatMap((line, i) => (line === b[i] ? [] : [[line, b[i]] as [string, string]]));
}

before(async () => {
  repo = await fixtureRepo();
  // staging now runs a new event-ingestion build: pinned, rendered and committed.
  pin('staging', 'event-ingestion', NEW_DIGEST);
  execFileSync(NODE, ['scripts/render.ts', '--env', 'staging'], { cwd: repo.dir, stdio: 'pipe' });
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', 'staging runs a new event-ingestion');
});
after(() => repo?.remove());

describe('promote', () => {
  it('copies exactly the digest of the named service to the next environment, and reports the rendered diff', async () => {
    const before = readFileSync(imagesFile('prod'), 'utf8');
    const previous = images('prod')['event-ingestion'];
    const result = await promote({ repo: repo.dir, services: ['event-ingestion'], from: 'staging', to: 'prod' });
    const after = readFileSync(imagesFile('prod'), 'utf8');
    assert.equal(result.file, 'environments/prod/images.ts');
    assert.deepEqual(result.promoted, [{ service: 'event-ingestion', before: previous, after: NEW_DIGEST }]);
    assert.deepEqual(changedLines(before, after), [[
      before.split('\n').find((l) => l.includes(previous))!,
      before.split('\n').find((l) => l.includes(previous))!.replace(previous, NEW_DIGEST),
    ]]);
    // prod runs in two regions: the Rollout changes in each, the primary's and eu-central-1's.
    assert.deepEqual(result.report.changes.map((c) => `${c.env} ${c.status} ${c.ref}`).sort(), ['prod changed Rollout gamemetrics/event-ingestion', 'prod changed Rollout gamemetrics/event-ingestion in eu-central-1']);
    for (const change of result.report.changes)
      assert.deepEqual(change.fields.map((f) => [f.path, String(f.new).split('@')[1]]), [['spec.template.spec.containers[name=event-ingestion].image', NEW_DIGEST]]);
    assert.deepEqual(result.report.blastRadius.flags.map((f) => f.category), ['prod']);
    execFileSync('git', ['-C', repo.dir, 'checkout', '--', 'environments/prod/images.ts']);
  });

  it('with --all, copies every digest that differs and nothing else; a dry run writes nothing', async () => {
    const before = readFileSync(imagesFile('prod'), 'utf8');
    const source = images('staging');
    const target = images('prod');
    const differing = Object.keys(source).filter((s) => source[s] !== target[s]).sort();
    const dry = await promote({ repo: repo.dir, services: 'all', from: 'staging', to: 'prod', dryRun: true });
    assert.deepEqual(dry.promoted.map((p) => p.service).sort(), differing);
    assert.deepEqual(dry.unchanged.sort(), Object.keys(source).filter((s) => !differing.includes(s)).sort());
    assert.equal(readFileSync(imagesFile('prod'), 'utf8'), before, 'a dry run leaves the file alone');
    await promote({ repo: repo.dir, services: 'all', from: 'staging', to: 'prod' });
    assert.deepEqual(images('prod'), { ...target, ...Object.fromEntries(differing.map((s) => [s, source[s]])) });
    assert.equal(changedLines(before, readFileSync(imagesFile('prod'), 'utf8')).length, differing.length);
    execFileSync('git', ['-C', repo.dir, 'checkout', '--', 'environments/prod/images.ts']);
  });

  it('refuses to skip an environment without --force, and allows it with --force', async () => {
    await assert.rejects(promote({ repo: repo.dir, services: ['event-processor'], from: 'dev', to: 'prod' }),
      (error: PromotionError) => error.problems.length === 1 && /dev → prod skips staging: promote dev → staging first, or pass --force/.test(error.problems[0]));
    const forced = await promote({ repo: repo.dir, services: ['event-processor'], from: 'dev', to: 'prod', force: true, dryRun: true });
    assert.equal(forced.promoted.length + forced.unchanged.length, 1);
  });

  it('refuses a digest the source environment does not run, and leaves the target untouched', async () => {
    pin('staging', 'analytics-api', UNRENDERED_DIGEST); // pinned, but rendered/staging/ still runs the old one
    const before = readFileSync(imagesFile('prod'), 'utf8');
    try {
      await assert.rejects(promote({ repo: repo.dir, services: ['analytics-api'], from: 'staging', to: 'prod' }),
        (error: PromotionError) => /staging does not run analytics-api@cdcdcdcdcdcd: environments\/staging\/images\.ts pins it, but rendered\/staging\/ runs/.test(error.message));
      assert.equal(readFileSync(imagesFile('prod'), 'utf8'), before);
    } finally {
      execFileSync('git', ['-C', repo.dir, 'checkout', '--', 'environments/staging/images.ts']);
    }
    await assert.rejects(promote({ repo: repo.dir, services: [`event-ingestion@${UNRENDERED_DIGEST}`], from: 'staging', to: 'prod' }),
      /staging does not run event-ingestion@sha256:cdcd.*: it pins sha256:abab/);
  });

  it('refuses going backwards without --force, and lists every problem at once', async () => {
    await assert.rejects(promote({ repo: repo.dir, services: ['event-ingestion'], from: 'prod', to: 'staging' }), /prod → staging goes backwards .*--force for a deliberate rollback/);
    await assert.rejects(promote({ repo: repo.dir, services: ['no-such-service', 'event-ingestion@sha256:00'], from: 'dev', to: 'prod' }),
      (error: PromotionError) => error.problems.length === 3 && /skips staging/.test(error.problems[0]) && /"no-such-service" has no digest/.test(error.problems[1]) && /does not run event-ingestion@sha256:00/.test(error.problems[2]));
    await assert.rejects(promote({ repo: repo.dir, services: ['event-ingestion'], from: 'qa', to: 'prod' }), /unknown environment "qa": the environments are dev → staging → prod/);
  });

  it('promotes digests CI has just built into the first environment only (--from build), each stated', async () => {
    const before = readFileSync(imagesFile('dev'), 'utf8');
    const built = `sha256:${'ef'.repeat(32)}`;
    const result = await promote({ repo: repo.dir, services: [`event-ingestion@${built}`], from: 'build', to: 'dev' });
    assert.deepEqual(result.promoted, [{ service: 'event-ingestion', before: parseImages('dev', before)['event-ingestion'], after: built }]);
    assert.equal(images('dev')['event-ingestion'], built);
    assert.equal(changedLines(before, readFileSync(imagesFile('dev'), 'utf8')).length, 1);
    assert.deepEqual(result.report.changes.map((c) => `${c.env} ${c.status} ${c.ref}`), ['dev changed Rollout gamemetrics/event-ingestion']);
    execFileSync('git', ['-C', repo.dir, 'checkout', '--', 'environments/dev/images.ts']);
    await assert.rejects(promote({ repo: repo.dir, services: [`event-ingestion@${built}`, 'analytics-api'], from: 'build', to: 'staging' }),
      (error: PromotionError) => error.problems.length === 2 && /a build is promoted into dev only, not "staging"/.test(error.problems[0]) && /analytics-api: state the built digest as analytics-api@sha256:/.test(error.problems[1]));
  });
});
