// Risk flags and capacity on hand-made snapshots: each rule with a change that trips it and a
// similar change that does not.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { compareSnapshots } from './compare.ts';
import type { DiffReport, RenderedObject, Snapshot, SnapshotWaiver } from './types.ts';

type Objects = RenderedObject[];

function snapshot(label: string, objects: Objects, options: { tier?: string; waivers?: SnapshotWaiver[] } = {}): Snapshot {
  const files = new Map(objects.map((o) => [`tenants/t/${o.metadata.namespace ?? '_cluster'}/${o.kind.toLowerCase()}-${o.metadata.name}.yaml`, stringify(o)]));
  return { label, stale: [], environments: [{ env: 'prod', tier: options.tier ?? 'staging', files, waivers: options.waivers ?? [] }] };
}

const diff = (before: Objects, after: Objects, options?: Parameters<typeof snapshot>[2]) => compareSnapshots(snapshot('base', before, options), snapshot('head', after, options));
const flagsOf = (report: DiffReport, category: string) => report.blastRadius.flags.filter((f) => f.category === category).map((f) => `${f.ref ?? '-'}: ${f.reason}`);

const object = (apiVersion: string, kind: string, name: string, namespace: string | undefined, rest: Record<string, unknown> = {}, labels: Record<string, string> = {}): RenderedObject =>
  ({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}), labels }, ...rest });

function deployment(opts: { replicas?: number; selector?: string; cpu?: string; memory?: string; runAsNonRoot?: boolean; image?: string } = {}): RenderedObject {
  return object('apps/v1', 'Deployment', 'api', 't', {
    spec: {
      replicas: opts.replicas ?? 2,
      selector: { matchLabels: { app: opts.selector ?? 'api' } },
      template: {
        metadata: { labels: { app: opts.selector ?? 'api' } },
        spec: {
          securityContext: { runAsNonRoot: opts.runAsNonRoot ?? true },
          containers: [{ name: 'api', image: opts.image ?? 'r/api@sha256:1', resources: { requests: { cpu: opts.cpu ?? '250m', memory: opts.memory ?? '256Mi' } } }],
        },
      },
    },
  }, { 'gamemetrics.dev/tenant': 't', 'app.kubernetes.io/name': 'api' });
}

const hpa = (min: number, max: number) => object('autoscaling/v2', 'HorizontalPodAutoscaler', 'api', 't', { spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas: min, maxReplicas: max } });
const pvc = (labels: Record<string, string> = {}) => object('v1', 'PersistentVolumeClaim', 'data', 't', { spec: { resources: { requests: { storage: '10Gi' } } } }, labels);
const namespace = object('v1', 'Namespace', 't', undefined);
const crd = (version = 'v1') => object('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'things.example.com', undefined, { spec: { versions: [{ name: version }] } });
const topic = (partitions: number) => object('kafka.strimzi.io/v1', 'KafkaTopic', 'events', 'kafka', { spec: { partitions, replicas: 3 } });
const statefulSet = (storage: string, replicas = 1) => object('apps/v1', 'StatefulSet', 'db', 't', {
  spec: { replicas, selector: { matchLabels: { app: 'db' } }, template: { spec: { containers: [{ name: 'db', image: 'db' }] } }, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { resources: { requests: { storage } } } }] },
});
const role = (verbs: string[], labels: Record<string, string> = {}) => object('rbac.authorization.k8s.io/v1', 'Role', 'reader', 't', { rules: [{ apiGroups: [''], resources: ['pods'], verbs }] }, labels);
const kafkaUser = (acls: unknown[]) => object('kafka.strimzi.io/v1', 'KafkaUser', 'api', 't', { spec: { authentication: { type: 'scram-sha-512' }, authorization: { type: 'simple', acls } } });
const acl = (name: string, operations: string[], type = 'topic') => ({ resource: { type, name, patternType: 'literal' }, operations });
const netpol = (port: number, labels: Record<string, string> = {}) => object('networking.k8s.io/v1', 'NetworkPolicy', 'api', 't', { spec: { podSelector: {}, egress: [{ ports: [{ port }] }] } }, labels);

describe('destructive changes', () => {
  it('a deleted PVC or Namespace is destructive; a relabelled one is not', () => {
    assert.deepEqual(flagsOf(diff([pvc(), namespace], []), 'destructive'), [
      'Namespace t: Namespace deleted: every object in it is deleted too',
      'PersistentVolumeClaim t/data: PersistentVolumeClaim deleted: its volume and data go with it (reclaim policy Delete)',
    ]);
    assert.deepEqual(flagsOf(diff([pvc()], [pvc({ team: 'x' })]), 'destructive'), []);
    assert.deepEqual(flagsOf(diff([], [pvc(), namespace]), 'destructive'), []);
  });

  it('fewer topic partitions and a deleted topic are destructive; more partitions are not', () => {
    assert.match(flagsOf(diff([topic(6)], [topic(3)]), 'destructive')[0], /^KafkaTopic kafka\/events: fewer partitions \(6 → 3\)/);
    assert.match(flagsOf(diff([topic(6)], []), 'destructive')[0], /KafkaTopic deleted/);
    assert.deepEqual(flagsOf(diff([topic(3)], [topic(6)]), 'destructive'), []);
  });

  it('a changed Deployment selector is destructive; a changed image is not', () => {
    assert.match(flagsOf(diff([deployment()], [deployment({ selector: 'api-v2' })]), 'destructive')[0], /Deployment selector changed \(spec\.selector\.matchLabels\.app api → api-v2\): the selector is immutable/);
    assert.deepEqual(flagsOf(diff([deployment()], [deployment({ image: 'r/api@sha256:2' })]), 'destructive'), []);
  });

  it('a changed StatefulSet volumeClaimTemplate is destructive; scaling it is not', () => {
    assert.match(flagsOf(diff([statefulSet('10Gi')], [statefulSet('20Gi')]), 'destructive')[0], /volumeClaimTemplates changed \(spec\.volumeClaimTemplates\[0\]\.spec\.resources\.requests\.storage 10Gi → 20Gi\)/);
    assert.deepEqual(flagsOf(diff([statefulSet('10Gi')], [statefulSet('10Gi', 3)]), 'destructive'), []);
  });

  it('a removed CRD is destructive; a changed one is not', () => {
    assert.match(flagsOf(diff([crd()], []), 'destructive')[0], /CustomResourceDefinition removed: every custom resource of that kind is deleted/);
    assert.deepEqual(flagsOf(diff([crd()], [crd('v2')]), 'destructive'), []);
  });
});

describe('security-relevant changes', () => {
  it('RBAC rules are flagged; a label on a Role is not', () => {
    assert.match(flagsOf(diff([role(['get'])], [role(['get', 'list'])]), 'security')[0], /^Role t\/reader: RBAC Role changed/);
    assert.deepEqual(flagsOf(diff([role(['get'])], [role(['get'], { team: 'x' })]), 'security'), []);
  });

  it('NetworkPolicy rules are flagged; a label on one is not', () => {
    assert.match(flagsOf(diff([netpol(53)], [netpol(5432)]), 'security')[0], /NetworkPolicy changed: it changes which traffic is allowed \(spec\.egress\[0\]\.ports\[port=53\]|spec\.egress/);
    assert.deepEqual(flagsOf(diff([netpol(53)], [netpol(53, { team: 'x' })]), 'security'), []);
  });

  it('Kafka ACLs: the permissions granted and revoked are named', () => {
    const flags = flagsOf(diff([kafkaUser([acl('a', ['Read', 'Describe'])])], [kafkaUser([acl('a', ['Read', 'Describe']), acl('b', ['Write'])])]), 'security');
    assert.deepEqual(flags, ['KafkaUser t/api: Kafka ACLs change: grants Write on topic b']);
    const revoked = flagsOf(diff([kafkaUser([acl('a', ['Read', 'Describe']), acl('g', ['Read'], 'group')])], [kafkaUser([acl('a', ['Describe'])])]), 'security');
    assert.deepEqual(revoked, ['KafkaUser t/api: Kafka ACLs change: revokes Read on topic a; Read on group g']);
  });

  it('pod security fields are flagged; resources are not', () => {
    assert.deepEqual(flagsOf(diff([deployment()], [deployment({ runAsNonRoot: false })]), 'security'),
      ['Deployment t/api: pod security fields change: spec.template.spec.securityContext.runAsNonRoot true → false']);
    assert.deepEqual(flagsOf(diff([deployment()], [deployment({ cpu: '500m' })]), 'security'), []);
  });

  it('waivers: added, changed and removed ones are flagged', () => {
    const waiver: SnapshotWaiver = { rule: 'best-practices/replicas', target: 'api', environments: null, reason: 'One replica until the cache is shared.', expires: '2030-01-01', approvedBy: 'alice' };
    const report = compareSnapshots(snapshot('base', [], { waivers: [] }), snapshot('head', [], { waivers: [waiver] }));
    assert.deepEqual(flagsOf(report, 'security'), ['-: waiver added: best-practices/replicas for api (expires 2030-01-01, approved by alice: “One replica until the cache is shared.”)']);
    const renewed = compareSnapshots(snapshot('base', [], { waivers: [waiver] }), snapshot('head', [], { waivers: [{ ...waiver, expires: '2031-01-01' }] }));
    assert.match(flagsOf(renewed, 'security')[0], /waiver changed: best-practices\/replicas for api \(expires 2031-01-01.*was expires 2030-01-01/);
    assert.match(flagsOf(compareSnapshots(snapshot('base', [], { waivers: [waiver] }), snapshot('head', [])), 'security')[0], /waiver removed/);
    assert.deepEqual(flagsOf(compareSnapshots(snapshot('base', [], { waivers: [waiver] }), snapshot('head', [], { waivers: [waiver] })), 'security'), []);
  });
});

describe('production and capacity', () => {
  it('any change in a production-tier environment is flagged; the same change elsewhere is not', () => {
    assert.deepEqual(flagsOf(diff([deployment()], [deployment({ image: 'r/api@sha256:2' })], { tier: 'production' }), 'prod'),
      ['-: 1 resource (0 added, 1 changed, 0 removed) change in prod, a production environment']);
    assert.deepEqual(flagsOf(diff([deployment()], [deployment({ image: 'r/api@sha256:2' })], { tier: 'staging' }), 'prod'), []);
  });

  it('totals replicas × requests, before and after', () => {
    const report = diff([deployment({ replicas: 2 })], [deployment({ replicas: 3, memory: '1Gi' })]);
    assert.deepEqual(report.blastRadius.capacity, [{ env: 'prod', before: { cpu: 500, memory: 512 * 2 ** 20 }, after: { cpu: 750, memory: 3 * 2 ** 30 } }]);
    assert.match(flagsOf(report, 'capacity')[0], /requested CPU 500m → 750m cores \(\+250m\), memory 512Mi → 3Gi \(\+2\.5Gi\)/);
  });

  it('counts autoscaled workloads at the HPA minReplicas: maxReplicas does not change capacity', () => {
    const min = diff([deployment({ replicas: 2 }), hpa(2, 10)], [deployment({ replicas: 2 }), hpa(4, 10)]);
    assert.deepEqual(min.blastRadius.capacity.map((c) => [c.before.cpu, c.after.cpu]), [[500, 1000]]);
    assert.deepEqual(diff([deployment(), hpa(2, 10)], [deployment(), hpa(2, 20)]).blastRadius.capacity, []);
  });
});
