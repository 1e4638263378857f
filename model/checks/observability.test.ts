// Observability model checks (model/checks/observability.ts): Prometheus' size bound must fit on its volume,
// reported at the environment's line; a bound within the volume passes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { environments } from '../../environments/index.ts';
import { tryLoadModel } from '../../render/sources.ts';
import { locateProblems } from '../locate.ts';
import { formatProblem, type Problem } from '../problems.ts';
import type { EnvironmentSpec, MemoryQuantity } from '../spec.ts';

const repo = join(import.meta.dirname, '..', '..');
const TODAY = '2026-11-22';

function load(env: string, edit: (e: EnvironmentSpec) => void = () => undefined): Problem[] {
  const envs = structuredClone(environments) as EnvironmentSpec[];
  edit(envs.find((e) => e.name === env)!);
  const result = tryLoadModel(env, { environments: envs, today: TODAY });
  return 'problems' in result ? result.problems : [];
}
const setSize = (size: MemoryQuantity) => (e: EnvironmentSpec) => { e.monitoring!.prometheus.retentionSize = size; };

describe("Prometheus' retention size", () => {
  test('the declared environments pass', () => {
    for (const env of environments) assert.deepEqual(load(env.name).map(formatProblem), [], env.name);
  });

  test('a size equal to the volume passes; one byte-unit above it is refused at the line of the environment that declares it', () => {
    assert.deepEqual(load('prod', setSize('500Gi')), []);
    const problems = load('prod', setSize('501Gi'));
    assert.equal(problems.length, 1, problems.map(formatProblem).join('\n'));
    assert.deepEqual(problems[0].path, ['environments', 'prod', 'monitoring', 'prometheus', 'retentionSize']);
    assert.match(problems[0].message, /retentionSize 501Gi is larger than the Prometheus volume \(storage 500Gi\)/);
    assert.match(problems[0].hint!, /at most 500Gi/);
    locateProblems(problems, repo);
    const line = readFileSync(join(repo, 'environments/prod/index.ts'), 'utf8').split('\n').findIndex((l) => l.includes('prometheus: { replicas:')) + 1;
    assert.equal(`${relative(repo, problems[0].file!)}:${problems[0].line}`, `environments/prod/index.ts:${line}`);
    assert.match(formatProblem(problems[0]), /environments\/prod\/index\.ts:\d+: environments\.prod\.monitoring\.prometheus\.retentionSize: /);
  });

  test('units are compared as bytes, not as text', () => {
    assert.deepEqual(load('dev', setSize('20480Mi')), [], '20480Mi is the 20Gi volume exactly');
    assert.equal(load('dev', setSize('20481Mi')).length, 1);
  });

  test('a malformed size is refused by the schema, before the comparison', () => {
    const problems = load('dev', setSize('50GB' as MemoryQuantity));
    assert.ok(problems.some((p) => p.path.join('.').endsWith('prometheus.retentionSize')), problems.map(formatProblem).join('\n'));
  });
});
