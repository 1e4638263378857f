import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { scratchCheckout } from '../../render/testdata/scratch-checkout.ts';
import { renderAll } from '../../render/render.ts';
import { listFiles } from '../../render/tree-writer.ts';

const repo = join(import.meta.dirname, '..', '..');
const node = process.execPath;

const scratchRepo = () => scratchCheckout('gm-render-');

function render(dir: string, ...args: string[]) {
  return spawnSync(node, [join(dir, 'scripts/render.ts'), ...args], { cwd: dir, encoding: 'utf8' });
}

function snapshot(dir: string): Map<string, string> {
  return new Map(listFiles(join(dir, 'rendered')).map((p) => [p, readFileSync(join(dir, 'rendered', p), 'utf8')]));
}

describe('npm run render', () => {
  let dir: string;
  before(() => {
    dir = scratchRepo();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the committed rendered/ is up to date (render --check passes)', () => {
    const result = render(repo, '--check');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /up to date \(dev, staging, prod\)/);
  });

  test('in CI, what npm run render wrote is what the commit holds (a stale commit fails even though CI renders first)', () => {
    // .ci/run renders before it tests, so --check alone would pass on a commit with stale rendered/ or docs/.
    const status = spawnSync('git', ['status', '--porcelain', '--untracked-files=all', '--', 'rendered', 'docs'], { cwd: repo, encoding: 'utf8' });
    assert.equal(status.status, 0, status.stderr);
    const changed = status.stdout.split('\n').filter(Boolean);
    if (process.env.CI === 'true') {
      assert.deepEqual(changed, [], 'rendered/ or docs/ differ from the commit: run npm run render and commit the result');
    } else {
      // Outside CI, uncommitted renders are work in progress; the listing itself must still be readable.
      assert.ok(changed.every((line) => /^.. (rendered|docs)\//.test(line)), status.stdout);
    }
  });

  test('rendering twice gives byte-identical trees', () => {
    assert.equal(render(dir).status, 0);
    const first = snapshot(dir);
    const again = render(dir, '--force');
    assert.equal(again.status, 0);
    assert.match(again.stdout, /\(unchanged, left as they were: dev, staging, prod\)$/m, 'the second render found every file already in place');
    const second = snapshot(dir);
    assert.deepEqual([...second.keys()], [...first.keys()]);
    for (const [path, content] of first) assert.equal(second.get(path), content, path);
    assert.ok(first.size > 200);
  });

  test('in-memory rendering is deterministic', () => {
    const a = renderAll(undefined, { today: '2026-11-22' });
    const b = renderAll(undefined, { today: '2026-11-22' });
    assert.deepEqual(a.environments.map((e) => [...e.files]), b.environments.map((e) => [...e.files]));
  });

  test('--check lists every changed, missing and extra file and exits 1', () => {
    const changed = 'rendered/dev/tenants/gamemetrics/gamemetrics/deployment-user-service.yaml';
    const missing = 'rendered/prod/tenants/geo-climate/geo-climate/service-prediction-api.yaml';
    const extra = 'rendered/staging/tenants/gamemetrics/gamemetrics/stale.yaml';
    writeFileSync(join(dir, changed), 'edited by hand\n');
    rmSync(join(dir, missing));
    writeFileSync(join(dir, extra), 'left over\n');
    const result = render(dir, '--check');
    assert.equal(result.status, 1);
    assert.match(result.stderr, new RegExp(`changed  ${changed}`));
    assert.match(result.stderr, new RegExp(`missing  ${missing}`));
    assert.match(result.stderr, new RegExp(`extra    ${extra}`));
    assert.match(result.stderr, /3 file\(s\) differ/);
  });

  test('render removes stale files and restores edited ones', () => {
    assert.equal(render(dir).status, 0);
    assert.equal(render(dir, '--check').status, 0);
  });

  test('a model error exits 1, names file, line, path and fix, and leaves rendered/ untouched', () => {
    const before = snapshot(dir);
    const file = join(dir, 'model/tenants/gamemetrics.ts');
    const source = readFileSync(file, 'utf8');
    const broken = source.replace("consumes: [{ topic: 'player.events.raw'", "consumes: [{ topic: 'player.event.raw'");
    assert.notEqual(broken, source);
    writeFileSync(file, broken);
    try {
      const result = render(dir);
      assert.equal(result.status, 1);
      const line = broken.split('\n').findIndex((l) => l.includes("'player.event.raw'")) + 1;
      assert.match(result.stderr, new RegExp(`model/tenants/gamemetrics\\.ts:${line}: tenants\\.gamemetrics\\.services\\.event-processor\\.consumes\\[0\\]\\.topic: unknown topic "player\\.event\\.raw" \\(did you mean "player\\.events\\.raw"\\?\\)`));
      assert.match(result.stderr, /Nothing was written/);
      assert.deepEqual(snapshot(dir), before);
    } finally {
      writeFileSync(file, source);
    }
  });

  test('a failure while writing leaves rendered/ untouched', () => {
    const before = snapshot(dir);
    // A generator that throws halfway through the second environment.
    const file = join(dir, 'generators/workloads/services.ts');
    const source = readFileSync(file, 'utf8');
    writeFileSync(file, source.replace('model.services\n', "(model.environment.name === 'staging' ? (() => { throw new Error('boom'); })() : model.services)\n"));
    try {
      const result = render(dir);
      assert.notEqual(result.status, 0);
      assert.match(result.stderr, /boom/);
      assert.deepEqual(snapshot(dir), before);
    } finally {
      writeFileSync(file, source);
    }
  });

  test('re-rendering writes only what changed and leaves every other file untouched', () => {
    assert.equal(render(dir).status, 0);
    const unchanged = join(dir, 'rendered/dev/tenants/gamemetrics/gamemetrics/service-analytics-api.yaml');
    const changed = join(dir, 'rendered/dev/tenants/gamemetrics/gamemetrics/configmap-event-ingestion-config.yaml');
    const before = { unchanged: statSync(unchanged, { bigint: true }), changed: statSync(changed).ino };
    const file = join(dir, 'model/tenants/gamemetrics.ts');
    const source = readFileSync(file, 'utf8');
    writeFileSync(file, source.replace("MAX_BATCH_EVENTS: '500'", "MAX_BATCH_EVENTS: '400'"));
    try {
      assert.equal(render(dir).status, 0);
      const after = statSync(unchanged, { bigint: true });
      assert.deepEqual([after.ino, after.ctimeNs, after.nlink], [before.unchanged.ino, before.unchanged.ctimeNs, 1n], 'an unchanged file is not rewritten, linked or moved');
      assert.notEqual(statSync(changed).ino, before.changed, 'a changed file is replaced whole (renamed in)');
      assert.match(readFileSync(changed, 'utf8'), /MAX_BATCH_EVENTS: "400"/);
    } finally {
      writeFileSync(file, source);
    }
    assert.equal(render(dir).status, 0);
  });

  test('with nothing changed since the last render it says so without rendering; an edit, a hand-edited output or --force render again', () => {
    assert.equal(render(dir).status, 0);
    const kept = join(dir, 'rendered/prod/tenants/gamemetrics/gamemetrics/service-analytics-api.yaml');
    const stamp = () => statSync(kept, { bigint: true }).ctimeNs;
    const before = stamp();
    const quiet = render(dir);
    assert.equal(quiet.status, 0, quiet.stderr);
    assert.match(quiet.stdout, /^rendered\/ is up to date: nothing the render reads or wrote changed since it last ran \(\d+ files: dev \d+, staging \d+, prod \d+\); --force renders anyway$/m);
    assert.equal(stamp(), before, 'nothing was written');

    writeFileSync(kept, 'edited by hand\n');
    const restored = render(dir);
    assert.match(restored.stdout, /^rendered \d+ files: dev \d+, staging \d+, prod \d+ \(unchanged, left as they were: dev, staging\)$/m, 'prod is rendered again');
    assert.match(readFileSync(kept, 'utf8'), /^kind: Service$/m);

    const model = join(dir, 'environments/prod/index.ts');
    const source = readFileSync(model, 'utf8');
    writeFileSync(model, `${source}// a comment changes no output, but the render cannot know without rendering\n`);
    try {
      assert.match(render(dir).stdout, /^rendered \d+ files: .*\(unchanged, left as they were: dev, staging, prod\)$/m);
      assert.match(render(dir).stdout, /^rendered\/ is up to date/m, 'and the render after that is recorded');
    } finally {
      writeFileSync(model, source);
    }
    assert.match(render(dir, '--force').stdout, /^rendered \d+ files: .*\(unchanged, left as they were: dev, staging, prod\)$/m);
    assert.match(render(dir, '--env', 'dev').stdout, /^rendered \d+ files: dev \d+/, 'another set of environments is another record');
  });

  test('--env renders only that environment; unknown environments are usage errors', () => {
    const result = render(dir, '--env', 'prod');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^rendered \d+ files: prod \d+/);
    const bad = render(dir, '--env', 'qa');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown environment "qa"; known: dev, staging, prod/);
  });
});
