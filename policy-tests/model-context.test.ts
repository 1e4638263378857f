// Which environment a file belongs to: rendered/<env>/ paths, --env, and the model default for other YAML.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { policyCli, validateCli } from '../scripts/cli/validate-policy.ts';
import { deployment } from './fixtures/builders.ts';
import { envNameOfFile } from './lib/model-context.ts';
import { loadModel } from '../render/sources.ts';

let dir: string;
const oneReplica = deployment((d) => {
  d.spec.replicas = 1;
  d.spec.template.spec.containers[0].image = `${loadModel('prod').policies.approvedRegistries[0]}api@sha256:${'c'.repeat(64)}`;
  d.spec.template.spec.initContainers[0].image = d.spec.template.spec.containers[0].image;
});
const write = (rel: string, text: string) => {
  const p = join(dir, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
  return p;
};
// These rendered/<env>/ folders hold one object, not a deployable environment: the reference closure is left out.
const ruleIds = async (args: string[]) =>
  JSON.parse((await policyCli([...args, '--format', 'json'])).stdout).findings.map((f: { ruleId: string }) => f.ruleId).filter((id: string) => id !== 'platform/references-resolve');

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'policy-env-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('environment of a file', () => {
  it('is the folder after rendered/', () => {
    assert.equal(envNameOfFile('rendered/prod/tenants/a/b.yaml'), 'prod');
    assert.equal(envNameOfFile('/x/rendered/dev/a.yaml'), 'dev');
    assert.equal(envNameOfFile('other/a.yaml'), null);
  });

  it('decides the tier: one replica fails in rendered/prod, passes in rendered/dev', async () => {
    assert.deepEqual(await ruleIds([write('rendered/prod/a.yaml', oneReplica)]), ['best-practices/replicas']);
    assert.deepEqual(await ruleIds([write('rendered/dev/a.yaml', oneReplica)]), []);
  });

  it('cross-resource rules look within one environment: a dev autoscaler does not cover a prod Deployment', async () => {
    const hpa = stringify({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'api', namespace: 'team' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas: 3, maxReplicas: 6, behavior: { scaleUp: { policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] }, scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 20, periodSeconds: 60 }] } } } });
    write('both/rendered/dev/hpa.yaml', hpa);
    write('both/rendered/prod/a.yaml', oneReplica);
    assert.deepEqual(await ruleIds([join(dir, 'both')]), ['best-practices/replicas']);
    write('both/rendered/prod/hpa.yaml', hpa);
    assert.deepEqual(await ruleIds([join(dir, 'both')]), []);
  });

  it('runs the reference closure on a whole rendered/<env>/ folder only, with that environment\'s externals', async () => {
    const app = stringify({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'a', namespace: 'argocd' }, spec: { project: 'p', destination: { server: 'https://k8s.prod.gamemetrics.dev', namespace: 'argocd' }, source: { repoURL: 'https://git.example/x.git', path: 'x' } } });
    const project = stringify({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'p', namespace: 'argocd' }, spec: {} });
    write('closure/rendered/prod/app.yaml', app);
    write('closure/rendered/prod/project.yaml', project);
    const closure = async (args: string[]) => JSON.parse((await policyCli([...args, '--format', 'json'])).stdout).findings.filter((f: { ruleId: string }) => f.ruleId === 'platform/references-resolve').map((f: { message: string }) => f.message);
    // prod declares its API server and Argo CD's namespace as externals: everything resolves.
    assert.deepEqual(await closure([join(dir, 'closure/rendered/prod')]), []);
    // The same Application in dev points at a cluster dev does not declare.
    write('closure/rendered/dev/app.yaml', app);
    write('closure/rendered/dev/project.yaml', project);
    assert.deepEqual(await closure([join(dir, 'closure/rendered/dev')]), ['KubernetesCluster "https://k8s.prod.gamemetrics.dev" is neither rendered, created by a rendered operator, nor declared external']);
    // Part of a folder is not an environment: nothing is reported.
    assert.deepEqual(await closure([join(dir, 'closure/rendered/dev/app.yaml')]), []);
  });

  it('other YAML uses --env, or else the model default (production, the model registries)', async () => {
    const f = write('loose/a.yaml', oneReplica);
    assert.deepEqual(await ruleIds([f]), ['best-practices/replicas']);
    assert.deepEqual(await ruleIds([f, '--env', 'dev']), []);
    const r = await policyCli([f]);
    assert.match(r.stdout, /files outside rendered\/<env>\/ are checked as production/);
  });

  it('an unknown --env is a usage error (exit 2) with the model problem', async () => {
    const r = await validateCli([write('loose/b.yaml', oneReplica), '--env', 'qa']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /qa/);
  });

  it('--kubernetes-version overrides the environment version', async () => {
    const pdb = write('loose/pdb.yaml', stringify({ apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: { maxUnavailable: 1, selector: { matchLabels: { a: 'b' } } } }));
    assert.equal((await validateCli([pdb])).code, 1);
    const old = await validateCli([pdb, '--kubernetes-version', '1.24', '--format', 'json']);
    assert.equal(old.code, 0);
    assert.equal(JSON.parse(old.stdout).warnings, 1);
    assert.equal((await validateCli([pdb, '--kubernetes-version', '34'])).code, 2);
  });
});
