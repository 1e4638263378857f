// Pod Security rules reach every pod template: Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs,
// CronJobs and Argo Rollouts, in containers, init containers and ephemeral containers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { parseDocs } from './lib/documents.ts';
import { runRules, selectRules } from './lib/engine.ts';
import { goodPodSpec } from './fixtures/builders.ts';
import type { Obj } from './lib/workloads.ts';
import { CATALOG } from './rules/index.ts';

const labels = { app: 'x' };
const template = (spec: Obj) => ({ metadata: { labels }, spec });
const WORKLOADS: Array<[string, (spec: Obj) => Obj, string]> = [
  ['Pod', (spec) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec }), 'spec'],
  ['Deployment', (spec) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { selector: { matchLabels: labels }, template: template(spec) } }), 'spec.template.spec'],
  ['StatefulSet', (spec) => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'x' }, spec: { serviceName: 'x', selector: { matchLabels: labels }, template: template(spec) } }), 'spec.template.spec'],
  ['DaemonSet', (spec) => ({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'x' }, spec: { selector: { matchLabels: labels }, template: template(spec) } }), 'spec.template.spec'],
  ['ReplicaSet', (spec) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'x' }, spec: { selector: { matchLabels: labels }, template: template(spec) } }), 'spec.template.spec'],
  ['Job', (spec) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'x' }, spec: { template: template({ ...spec, restartPolicy: 'Never' }) } }), 'spec.template.spec'],
  ['CronJob', (spec) => ({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'x' }, spec: { schedule: '0 1 * * *', jobTemplate: { spec: { template: template({ ...spec, restartPolicy: 'Never' }) } } } }), 'spec.jobTemplate.spec.template.spec'],
  ['Rollout', (spec) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'x' }, spec: { selector: { matchLabels: labels }, template: template(spec) } }), 'spec.template.spec'],
];
const rules = selectRules(CATALOG, ['pss-restricted']);
const env = () => ({ name: null, tier: 'production' as const, approvedRegistries: [] });
const findings = (obj: Obj) => {
  const problems: string[] = [];
  return runRules(parseDocs('w.yaml', stringify(obj), problems), rules, env);
};

describe('Pod Security rules on every workload kind', () => {
  for (const [kind, make, specPath] of WORKLOADS) {
    it(`${kind}: clean pod template passes, and each container list is checked`, () => {
      assert.deepEqual(findings(make(goodPodSpec())).map((f) => `${f.ruleId} ${f.path}`), []);
      for (const list of ['containers', 'initContainers', 'ephemeralContainers'] as const) {
        const spec = goodPodSpec();
        const c = { ...spec.containers[0], name: 'debug', securityContext: { ...spec.containers[0].securityContext, privileged: true } };
        delete c.readinessProbe;
        delete c.livenessProbe;
        spec[list] = [...(spec[list] ?? []), c];
        const index = spec[list].length - 1;
        const f = findings(make(spec)).filter((x) => x.ruleId === 'pss-baseline/privileged');
        assert.deepEqual(f.map((x) => x.path), [`${specPath}.${list}[${index}].securityContext.privileged`]);
      }
    });
  }
});
