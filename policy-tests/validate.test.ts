// Strict schema validation: unknown fields anywhere (pod templates included), types, required fields, API lifecycle, CRDs.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { parseDocs } from './lib/documents.ts';
import { deployment, goodPodSpec } from './fixtures/builders.ts';
import { loadSchemas, type CompiledSchemas } from './lib/schema/compile.ts';
import { validateDocument } from './lib/validate.ts';
import type { Obj } from './lib/workloads.ts';

let schemas: CompiledSchemas;
before(async () => {
  schemas = await loadSchemas();
});

function check(yamlText: string, minor = 34) {
  const problems: string[] = [];
  const docs = parseDocs('test.yaml', yamlText, problems);
  assert.deepEqual(problems, []);
  return docs.flatMap((d) => validateDocument(schemas, d, minor));
}
const editDeployment = (edit: (d: Obj) => void) => deployment(edit);

describe('strict core schemas', () => {
  it('accepts a valid Deployment', () => {
    assert.deepEqual(check(deployment()), []);
  });

  const misspellings: Array<[string, (d: Obj) => void, string]> = [
    ['container field', (d) => (d.spec.template.spec.containers[0].imagePullPolicyy = 'Always'), 'spec.template.spec.containers[0].imagePullPolicyy'],
    ['pod spec field', (d) => (d.spec.template.spec.serviceAcountName = 'x'), 'spec.template.spec.serviceAcountName'],
    ['init container security context', (d) => (d.spec.template.spec.initContainers[0].securityContext.runAsNonRot = true), 'spec.template.spec.initContainers[0].securityContext.runAsNonRot'],
    ['probe handler', (d) => (d.spec.template.spec.containers[0].readinessProbe.httpGet.paht = '/x'), 'spec.template.spec.containers[0].readinessProbe.httpGet.paht'],
    ['resources', (d) => (d.spec.template.spec.containers[0].resources.limit = {}), 'spec.template.spec.containers[0].resources.limit'],
    ['template metadata', (d) => (d.spec.template.metadata.label = {}), 'spec.template.metadata.label'],
    ['topology spread', (d) => (d.spec.template.spec.topologySpreadConstraints[0].maxSkw = 1), 'spec.template.spec.topologySpreadConstraints[0].maxSkw'],
    ['volume source', (d) => (d.spec.template.spec.volumes = [{ name: 'v', emptyDir: { sizeLimt: '1Gi' } }]), 'spec.template.spec.volumes[0].emptyDir.sizeLimt'],
    ['object metadata', (d) => (d.metadata.annotation = {}), 'metadata.annotation'],
  ];
  for (const [what, edit, path] of misspellings) {
    it(`catches a misspelt ${what}`, () => {
      const f = check(editDeployment(edit));
      assert.equal(f.length, 1, JSON.stringify(f));
      assert.equal(f[0].ruleId, 'schema/unknown-field');
      assert.equal(f[0].path, path);
      assert.equal(f[0].severity, 'error');
    });
  }

  it('catches an unknown field in every object anywhere in a Deployment pod template', () => {
    type S = { $ref?: string; type?: unknown; properties?: Record<string, S>; items?: S; additionalProperties?: S | boolean };
    const resolve = (x: S | undefined): S | undefined => (x?.$ref ? (schemas.bundle.defs[x.$ref.replace('#/$defs/', '')] as S) : x);
    const places: Array<Array<string | number>> = [];
    const walk = (schema: S | undefined, path: Array<string | number>, seen: Set<S>) => {
      const x = resolve(schema);
      if (!x || seen.has(x) || path.length > 12) return;
      if (x.type === 'object' && x.additionalProperties === false) places.push(path);
      const inner = new Set(seen).add(x);
      for (const [k, child] of Object.entries(x.properties ?? {})) walk(child, [...path, k], inner);
      if (x.items) walk(x.items, [...path, 0], inner);
    };
    const deploymentSchema = resolve(schemas.bundle.kinds['apps/v1/Deployment'] as S)!;
    walk(resolve(deploymentSchema.properties!.spec)!.properties!.template, ['spec', 'template'], new Set());
    assert.ok(places.length > 150, `only ${places.length} objects`); // 296 object types on the paths of a 1.34 pod template
    for (const path of places) {
      const doc: Obj = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' } };
      let cur: Obj = doc;
      path.forEach((seg, i) => {
        const next = typeof path[i + 1] === 'number' ? [] : {};
        cur[seg] = next;
        cur = next;
      });
      cur.zzMisspelt = 1;
      const want = [...path, 'zzMisspelt'].map((x) => (typeof x === 'number' ? `[${x}]` : `.${x}`)).join('').slice(1).replace(/\.\[/g, '[');
      const found = check(stringify(doc)).filter((f) => f.ruleId === 'schema/unknown-field').map((f) => f.path);
      assert.ok(found.includes(want), `${want} not caught: ${found.join(', ')}`);
    }
  });

  it('suggests the field that was meant', () => {
    const [f] = check(editDeployment((d) => (d.spec.template.spec.containers[0].imagePullPolicyy = 'Always')));
    assert.match(f.message, /did you mean "imagePullPolicy"/);
  });

  it('reports the line of the offending field', () => {
    const text = editDeployment((d) => (d.spec.template.spec.containers[0].imagePullPolicyy = 'Always'));
    const [f] = check(text);
    assert.equal(text.split('\n')[f.line - 1].trim(), 'imagePullPolicyy: Always');
  });

  it('catches wrong types and missing required fields, all at once', () => {
    const f = check(
      editDeployment((d) => {
        d.spec.replicas = 'three';
        delete d.spec.template.spec.containers[0].name;
      }),
    );
    assert.deepEqual(
      f.map((x) => [x.ruleId, x.path]).sort(),
      [
        ['schema/required', 'spec.template.spec.containers[0].name'],
        ['schema/type', 'spec.replicas'],
      ],
    );
  });

  it('knows integer fields from floats', () => {
    const [f] = check(editDeployment((d) => (d.spec.replicas = 1.5)));
    assert.deepEqual([f.ruleId, f.path, f.message], ['schema/type', 'spec.replicas', 'must be integer']);
    const [g] = check(editDeployment((d) => (d.spec.template.spec.containers[0].ports[0].containerPort = 8080.5)));
    assert.equal(g.path, 'spec.template.spec.containers[0].ports[0].containerPort');
    assert.deepEqual(check(editDeployment((d) => (d.spec.template.spec.containers[0].resources.limits.cpu = 0.5))), []);
  });

  it('checks quantities, base64 Secret data and the int32 range', () => {
    const [f] = check(editDeployment((d) => (d.spec.template.spec.containers[0].resources.limits.memory = '512MB')));
    assert.deepEqual([f.ruleId, f.path], ['schema/format', 'spec.template.spec.containers[0].resources.limits.memory']);
    assert.match(f.message, /Kubernetes quantity/);
    assert.deepEqual(check(editDeployment((d) => (d.spec.template.spec.containers[0].resources.limits.memory = '1.5Gi'))), []);
    const [g] = check(stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { password: 'hunter2!' } }));
    assert.deepEqual([g.ruleId, g.path], ['schema/format', 'data.password']);
    assert.deepEqual(check(stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { password: 'aHVudGVyMg==' } })), []);
    const [h] = check(editDeployment((d) => (d.spec.template.spec.containers[0].ports[0].containerPort = 2 ** 40)));
    assert.equal(h.ruleId, 'schema/format');
  });

  it('catches enum violations', () => {
    const [f] = check(editDeployment((d) => (d.spec.template.spec.containers[0].imagePullPolicy = 'Sometimes')));
    assert.equal(f.ruleId, 'schema/enum');
    assert.equal(f.path, 'spec.template.spec.containers[0].imagePullPolicy');
  });

  it('treats null as unset (creationTimestamp: null)', () => {
    assert.deepEqual(check(editDeployment((d) => (d.metadata.creationTimestamp = null))), []);
  });

  it('catches a misspelt field in a CronJob job template', () => {
    const cron = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { ...goodPodSpec(), restartPolicy: 'OnFailure', hostNetwrk: true } } } } } };
    const [f] = check(stringify(cron));
    assert.equal(f.path, 'spec.jobTemplate.spec.template.spec.hostNetwrk');
  });
});

describe('API lifecycle', () => {
  const pdb = (apiVersion: string) => stringify({ apiVersion, kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: { maxUnavailable: 1, selector: { matchLabels: { a: 'b' } } } });

  it('rejects a removed API (policy/v1beta1 PodDisruptionBudget on 1.34)', () => {
    const f = check(pdb('policy/v1beta1'));
    assert.equal(f.length, 1);
    assert.equal(f[0].ruleId, 'schema/removed-api');
    assert.equal(f[0].path, 'apiVersion');
    assert.match(f[0].message, /policy\/v1/);
  });

  it('accepts the same API, deprecated, on a version that still served it', () => {
    assert.deepEqual(check(pdb('policy/v1beta1'), 24).map((f) => [f.ruleId, f.severity]), [['schema/deprecated-api', 'warning']]);
  });

  it('rejects an API the target version does not serve yet', () => {
    const [f] = check(pdb('policy/v1'), 20);
    assert.deepEqual([f.ruleId, f.path], ['schema/removed-api', 'apiVersion']);
    assert.match(f.message, /not served before Kubernetes 1\.21/);
    const map = stringify({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingAdmissionPolicy', metadata: { name: 'm' }, spec: {} });
    assert.equal(check(map)[0].ruleId, 'schema/removed-api');
  });

  it('warns on a deprecated API that is still served', () => {
    const f = check(stringify({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'e' } }));
    assert.equal(f.length, 1);
    assert.equal(f[0].ruleId, 'schema/deprecated-api');
    assert.equal(f[0].severity, 'warning');
  });

  it('rejects an unknown kind and an unknown apiVersion, never skips them', () => {
    const f = check(stringify({ apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } }) + '---\n' + stringify({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x' } }));
    assert.deepEqual(f.map((x) => [x.ruleId, x.severity]), [['schema/unknown-kind', 'error'], ['schema/unknown-kind', 'error']]);
  });

  it('rejects a document without apiVersion', () => {
    const [f] = check('kind: Pod\nmetadata: {name: x}\n');
    assert.equal(f.ruleId, 'schema/type-meta');
  });
});

describe('custom resources', () => {
  const topic = { apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaTopic', metadata: { name: 't', labels: { 'strimzi.io/cluster': 'main' } }, spec: { partitions: 3, replicas: 3, config: { 'retention.ms': 1000 } } };

  it('validates Strimzi kafka.strimzi.io/v1 strictly, with free-form config', () => {
    assert.deepEqual(check(stringify(topic)), []);
    const [f] = check(stringify({ ...topic, spec: { ...topic.spec, replicationFactor: 3 } }));
    assert.equal(f.ruleId, 'schema/unknown-field');
    assert.equal(f.path, 'spec.replicationFactor');
  });

  it('has schemas for every CRD family the generators emit', () => {
    for (const key of [
      'argoproj.io/v1alpha1/Application', 'argoproj.io/v1alpha1/AppProject', 'argoproj.io/v1alpha1/Rollout',
      'kafka.strimzi.io/v1/Kafka', 'kafka.strimzi.io/v1/KafkaNodePool', 'kafka.strimzi.io/v1/KafkaTopic', 'kafka.strimzi.io/v1/KafkaUser', 'kafka.strimzi.io/v1/KafkaMirrorMaker2',
      'kyverno.io/v1/ClusterPolicy', 'external-secrets.io/v1beta1/ExternalSecret', 'networking.istio.io/v1beta1/Gateway',
      'monitoring.coreos.com/v1/ServiceMonitor', 'monitoring.coreos.com/v1/PrometheusRule', 'cert-manager.io/v1/Certificate', 'keda.sh/v1alpha1/ScaledObject',
      'autoscaling.k8s.io/v1/VerticalPodAutoscaler', 'velero.io/v1/Schedule', 'velero.io/v1/Backup', 'chaos-mesh.org/v1alpha1/PodChaos',
    ]) assert.ok(schemas.validators.has(key), key);
  });

  it('validates the repository schemas (Velero Schedule) strictly', () => {
    const schedule = { apiVersion: 'velero.io/v1', kind: 'Schedule', metadata: { name: 'daily', namespace: 'velero' }, spec: { schedule: '0 2 * * *', template: { includedNamespaces: ['gamemetrics'], ttl: '720h0m0s', snapshotMoveData: true } } };
    assert.deepEqual(check(stringify(schedule)), []);
    const [f] = check(stringify({ ...schedule, spec: { ...schedule.spec, template: { ...schedule.spec.template, includeNamespaces: ['x'] } } }));
    assert.equal(f.path, 'spec.template.includeNamespaces');
  });

  it('validates Chaos Mesh PodChaos enums', () => {
    const chaos = { apiVersion: 'chaos-mesh.org/v1alpha1', kind: 'PodChaos', metadata: { name: 'kill', namespace: 'chaos' }, spec: { action: 'pod-kill', mode: 'one', selector: { namespaces: ['gamemetrics'], labelSelectors: { app: 'x' } } } };
    assert.deepEqual(check(stringify(chaos)), []);
    const [f] = check(stringify({ ...chaos, spec: { ...chaos.spec, action: 'pod-explode' } }));
    assert.equal(f.ruleId, 'schema/enum');
    assert.equal(f.path, 'spec.action');
  });
});

describe('parsing', () => {
  it('reports YAML syntax errors with file and line', () => {
    const problems: string[] = [];
    parseDocs('broken.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [x\n', problems);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /^broken\.yaml:\d+: YAML error/);
  });

  it('keeps documents of a multi-document file apart', () => {
    const problems: string[] = [];
    const docs = parseDocs('multi.yaml', `${deployment()}---\n---\n${stringify(parse(deployment()))}`, problems);
    assert.deepEqual(docs.map((d) => d.index), [0, 1]);
  });
});
