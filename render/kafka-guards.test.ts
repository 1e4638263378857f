// The render-time guard against topic changes Kafka cannot apply, over a previously rendered tree.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { environments } from '../environments/index.ts';
import { platform } from '../model/platform.ts';
import type { EnvironmentSpec, PlatformSpec } from '../model/spec.ts';
import { kafkaTopicGuards, readKafkaTopic } from './kafka-guards.ts';
import { scratchCheckout } from './testdata/scratch-checkout.ts';
import { type RenderResult, renderAll } from './render.ts';

const TODAY = '2026-11-22';
const dir = mkdtempSync(join(tmpdir(), 'kafka-guards-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a render as the "committed" tree. */
function commit(result: RenderResult): string {
  const root = mkdtempSync(join(dir, 'rendered-'));
  for (const { env, files } of result.environments) {
    for (const [path, content] of files) {
      mkdirSync(dirname(join(root, env, path)), { recursive: true });
      writeFileSync(join(root, env, path), content);
    }
  }
  return root;
}

function render(edit: (p: PlatformSpec, envs: EnvironmentSpec[]) => void = () => undefined) {
  const p = structuredClone(platform) as PlatformSpec;
  const envs = structuredClone(environments) as EnvironmentSpec[];
  edit(p, envs);
  return { result: renderAll(undefined, { platform: p, environments: envs, today: TODAY }), options: { platform: p, environments: envs } };
}

describe('Kafka topic guards', () => {
  const committed = commit(render().result);

  test('an unchanged model, or more partitions, passes', () => {
    assert.deepEqual(kafkaTopicGuards(render().result, committed), []);
    const grown = render((p) => { p.topics['player.events.processed'].partitions = 24; });
    assert.deepEqual(kafkaTopicGuards(grown.result, committed, grown.options), []);
  });

  test('fewer partitions is refused, naming topic, counts, environment, model path and the way out', () => {
    const shrunk = render((_, envs) => { envs.find((e) => e.name === 'prod')!.topics!['player.events.raw']!.partitions = 6; });
    const problems = kafkaTopicGuards(shrunk.result, committed, shrunk.options);
    assert.equal(problems.length, 1);
    assert.deepEqual(problems[0].path, ['environments', 'prod', 'topics', 'player.events.raw', 'partitions']);
    assert.match(problems[0].message, /topic "player.events.raw" in prod would go from 12 to 6 partitions \(rendered\/prod\/platform\/kafka\/kafka\/kafkatopic-player.events.raw.yaml\); Kafka cannot remove partitions/);
    assert.match(problems[0].hint!, /declare a new topic with 6 partitions, move producers and consumers to it/);
  });

  test('a lower environment default is reported at the default, in every environment it hits', () => {
    const shrunk = render((_, envs) => { envs.find((e) => e.name === 'staging')!.kafka.defaultPartitions = 1; });
    const problems = kafkaTopicGuards(shrunk.result, committed, shrunk.options);
    assert.ok(problems.length >= 5);
    assert.ok(problems.every((p) => p.path.join('.') === 'environments.staging.kafka.defaultPartitions'));
  });

  test('a replication change of an existing topic is refused; topics rendered for the first time are not compared', () => {
    const changed = render((_, envs) => {
      const staging = envs.find((e) => e.name === 'staging')!;
      staging.topics = { ...staging.topics, 'notifications.outbound': { replication: 2 } };
    });
    const refused = kafkaTopicGuards(changed.result, committed, changed.options);
    assert.deepEqual(refused.map((p) => p.path), [['environments', 'staging', 'topics', 'notifications.outbound', 'replication']]);
    assert.match(refused[0].message, /change replication from 3 to 2/);
    assert.match(refused[0].message, /Cruise Control/);
    assert.deepEqual(kafkaTopicGuards(changed.result, join(dir, 'nothing-rendered-yet')), []);
  });

  test('readKafkaTopic reads KafkaTopics only', () => {
    assert.deepEqual(readKafkaTopic('kind: KafkaTopic\nmetadata: { name: a.b }\nspec: { partitions: 3, replicas: 1 }\n'), { topicName: 'a.b', partitions: 3, replicas: 1 });
    assert.equal(readKafkaTopic('kind: ConfigMap\n'), null);
    assert.equal(readKafkaTopic(': : :'), null);
  });

});

describe('npm run render with a shrunk topic', () => {
  test('refuses, writes nothing, and points at the file and line that lowered the count', () => {
    // A scratch copy of the sources and the committed output, with prod's player.events.raw lowered.
    const copy = scratchCheckout('kafka-guards-repo-');
    after(() => rmSync(copy, { recursive: true, force: true }));
    const prodFile = join(copy, 'environments', 'prod', 'index.ts');
    const source = readFileSync(prodFile, 'utf8');
    assert.match(source, /'player\.events\.raw': \{ partitions: 12 \}/);
    writeFileSync(prodFile, source.replace("'player.events.raw': { partitions: 12 }", "'player.events.raw': { partitions: 8 }"));
    const rawTopic = join(copy, 'rendered', 'prod', 'platform', 'kafka', 'kafka', 'kafkatopic-player.events.raw.yaml');
    const before = readFileSync(rawTopic, 'utf8');

    const run = spawnSync(process.execPath, [join(copy, 'scripts', 'render.ts')], { cwd: copy, encoding: 'utf8' });
    assert.equal(run.status, 1, run.stderr);
    const line = source.split('\n').findIndex((l) => l.includes("'player.events.raw': { partitions: 12 }")) + 1;
    assert.match(run.stderr, new RegExp(`environments/prod/index\\.ts:${line}: environments\\.prod\\.topics\\['player\\.events\\.raw'\\]\\.partitions: topic "player\\.events\\.raw" in prod would go from 12 to 8 partitions`));
    assert.match(run.stderr, /declare a new topic with 8 partitions/);
    assert.match(run.stderr, /Nothing was written/);
    assert.equal(readFileSync(rawTopic, 'utf8'), before);
  });
});
