import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { syntheticModel } from '../scripts/bench/synthetic-model.ts';
import { BACKGROUND_FROM } from './background-writer.ts';
import { renderAll } from './render.ts';
import { renderTree } from './render-pipeline.ts';
import { listFiles } from './tree-writer.ts';

// Large enough that every environment's tree goes through the BackgroundWriter's worker.
const load = { ...syntheticModel(160), today: '2026-01-01' };
const envs = load.environments.map((e) => e.name);

describe('renderTree on a large model', () => {
  let out: string;
  let expected: ReturnType<typeof renderAll>;
  before(() => {
    out = mkdtempSync(join(tmpdir(), 'gm-pipeline-'));
    expected = renderAll(envs, load);
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  test('writes exactly what renders in memory, in every environment', async () => {
    const result = await renderTree({ envs, repoRoot: out, renderedDir: out, load });
    assert.deepEqual(result.files.map((f) => f.env), envs);
    for (const environment of expected.environments) {
      assert.ok(environment.files.size >= BACKGROUND_FROM, `${environment.env} has ${environment.files.size} files`);
      assert.deepEqual(listFiles(join(out, environment.env)), [...environment.files.keys()].sort());
      for (const [path, content] of environment.files) assert.equal(readFileSync(join(out, environment.env, path), 'utf8'), content, path);
    }
    for (const [path, content] of expected.docs) assert.equal(readFileSync(join(out, path), 'utf8'), content);
    assert.deepEqual(listFiles(out).filter((p) => p.startsWith('.render-')), [], 'no staging folder left behind');
  });

  test('only new and changed files are written: the rest keep their inode and times', async () => {
    const stamp = (path: string) => {
      const stat = statSync(path, { bigint: true });
      return { ino: stat.ino, ctime: stat.ctimeNs, mtime: stat.mtimeNs, nlink: stat.nlink };
    };
    const anyFile = (env: string) => stamp(join(out, env, [...expected.environments.find((e) => e.env === env)!.files.keys()][0]));
    const doc = () => statSync(join(out, [...expected.docs.keys()][0]), { bigint: true });
    const before = Object.fromEntries(envs.map((env) => [env, anyFile(env)]));
    const docBefore = doc();
    const again = await renderTree({ envs, repoRoot: out, renderedDir: out, load });
    assert.deepEqual(again.unchanged, envs, 'nothing changed anywhere');
    for (const env of envs) assert.deepEqual(anyFile(env), before[env], `${env}: same inode and times`);
    assert.deepEqual([doc().ino, doc().ctimeNs], [docBefore.ino, docBefore.ctimeNs], 'an unchanged generated doc is not rewritten');

    // Only prod's delta changes: dev and staging stay as they were; in prod only svc-0001's files are replaced.
    const prodOnly = { ...load, environments: load.environments.map((e) => (e.name === 'prod' ? { ...e, images: { ...e.images, 'svc-0001': `sha256:${'e'.repeat(64)}` } } : e)) } as typeof load;
    const prodFiles = renderAll(envs, prodOnly).environments.find((e) => e.env === 'prod')!.files;
    const changedPaths = [...prodFiles].filter(([path, content]) => expected.environments.find((e) => e.env === 'prod')!.files.get(path) !== content).map(([path]) => path);
    assert.ok(changedPaths.length > 0 && changedPaths.length < 10, `${changedPaths.length} files change`);
    const changedBefore = stamp(join(out, 'prod', changedPaths[0]));
    const changed = await renderTree({ envs, repoRoot: out, renderedDir: out, load: prodOnly });
    assert.deepEqual(changed.unchanged, ['dev', 'staging']);
    for (const env of envs) assert.deepEqual(anyFile(env), before[env], `${env}: an unchanged file is untouched`);
    assert.notEqual(stamp(join(out, 'prod', changedPaths[0])).ino, changedBefore.ino, 'a changed file is replaced whole (renamed in)');
    for (const path of changedPaths) assert.equal(readFileSync(join(out, 'prod', path), 'utf8'), prodFiles.get(path), path);

    // A stray file makes an otherwise identical environment differ: it is removed, with the folders it leaves empty.
    await renderTree({ envs, repoRoot: out, renderedDir: out, load });
    writeFileSync(join(out, 'staging', 'stray.yaml'), 'kind: Stray\n');
    mkdirSync(join(out, 'staging', 'stray-folder', 'deeper'), { recursive: true });
    writeFileSync(join(out, 'staging', 'stray-folder', 'deeper', 'stray.yaml'), 'kind: Stray\n');
    const cleaned = await renderTree({ envs, repoRoot: out, renderedDir: out, load });
    assert.deepEqual(cleaned.unchanged, ['dev', 'prod']);
    assert.ok(!listFiles(join(out, 'staging')).includes('stray.yaml'));
    assert.ok(!existsSync(join(out, 'staging', 'stray-folder')), 'the folders a removed file leaves empty go too');
    assert.deepEqual(listFiles(join(out, 'staging')), [...expected.environments.find((e) => e.env === 'staging')!.files.keys()].sort());
    assert.deepEqual(listFiles(out).filter((p) => p.startsWith('.render-')), [], 'no staging folder left behind');
  });

  test('check finds nothing to do after a render, then every hand edit', async () => {
    const clean = await renderTree({ envs, repoRoot: out, renderedDir: out, load, check: true });
    assert.deepEqual(clean.difference, { changed: [], missing: [], extra: [] });
    const [changed, removed] = [...expected.environments[2].files.keys()];
    writeFileSync(join(out, 'prod', changed), 'edited\n');
    rmSync(join(out, 'prod', removed));
    writeFileSync(join(out, 'dev', 'stray.yaml'), 'kind: Stray\n');
    const stale = await renderTree({ envs, repoRoot: out, renderedDir: out, load, check: true });
    assert.deepEqual(stale.difference, { changed: [join('prod', changed)], missing: [join('prod', removed)], extra: [join('dev', 'stray.yaml')] });
  });

  test('a model problem in one environment writes nothing in any', async () => {
    const before = listFiles(out).length;
    const broken = { ...load, environments: load.environments.map((e) => (e.name === 'staging' ? { ...e, images: { ...e.images, 'svc-0001': 'latest' } } : e)) };
    await assert.rejects(renderTree({ envs, repoRoot: out, renderedDir: out, load: broken }), (error: Error & { problems?: Array<{ path: unknown[] }> }) => {
      assert.equal(error.name, 'ModelError');
      assert.deepEqual(error.problems!.map((p) => p.path), [['environments', 'staging', 'images', 'svc-0001']]);
      return true;
    });
    assert.equal(listFiles(out).length, before);
    assert.equal(readFileSync(join(out, 'dev', 'stray.yaml'), 'utf8'), 'kind: Stray\n', 'the previous tree is untouched');
  });

  test('a topic change Kafka cannot apply is refused, naming the model path, and writes nothing', async () => {
    const before = readFileSync(join(out, 'dev/platform/kafka/kafka/kafkatopic-synthetic.topic-0.yaml'), 'utf8');
    assert.match(before, /partitions: 2\n/);
    const fewer = { ...load, environments: load.environments.map((e) => (e.name === 'dev' ? { ...e, topics: { 'synthetic.topic-0': { partitions: 1 } } } : e)) } as typeof load;
    await assert.rejects(renderTree({ envs, repoRoot: out, renderedDir: out, load: fewer }), (error: Error & { problems?: Array<{ path: unknown[]; message: string }> }) => {
      assert.equal(error.name, 'ModelError');
      assert.deepEqual(error.problems!.map((p) => p.path), [['environments', 'dev', 'topics', 'synthetic.topic-0', 'partitions']]);
      assert.match(error.problems![0].message, /would go from 2 to 1 partitions/);
      return true;
    });
    assert.equal(readFileSync(join(out, 'dev/platform/kafka/kafka/kafkatopic-synthetic.topic-0.yaml'), 'utf8'), before);
    assert.equal(readFileSync(join(out, 'dev', 'stray.yaml'), 'utf8'), 'kind: Stray\n', 'the previous tree is untouched');
  });
});
