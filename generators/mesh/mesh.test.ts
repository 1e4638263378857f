// The mesh, access and audit generators on the real model: enrolment, mTLS from the environment's value, the
// AuthorizationPolicies' principals and ports, the owners' bindings and projects, the audit policy's levels.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { environments } from '../../environments/index.ts';
import type { LoadedModel } from '../../model/loaded.ts';
import type { EnvironmentSpec } from '../../model/spec.ts';
import { loadModel, tryLoadModel } from '../../render/sources.ts';
import { generate } from '../index.ts';
import type { KubeObject } from '../core/types.ts';

const spec = (name: string) => environments.find((e) => e.name === name)!;
const withEnv = (name: string, change: (e: EnvironmentSpec) => void) => {
  const edited = environments.map((e) => {
    if (e.name !== name) return e;
    const copy = structuredClone(e);
    change(copy);
    return copy;
  });
  return tryLoadModel(name, { environments: edited });
};
const objects = (model: LoadedModel) => generate(model).map((f) => f.object as KubeObject & Record<string, any>);
const find = (objs: ReturnType<typeof objects>, kind: string, namespace: string | undefined, name: string) =>
  objs.find((o) => o.kind === kind && o.metadata.namespace === namespace && o.metadata.name === name)!;

describe('mesh', () => {
  const prod = objects(loadModel('prod'));

  test('tenant and datastore namespaces are enrolled, the platform\'s own are not; restricted still holds', () => {
    const enrolled = prod.filter((o) => o.kind === 'Namespace' && o.metadata.labels?.['istio-injection'] === 'enabled').map((o) => o.metadata.name);
    assert.deepEqual(enrolled, ['data', 'gamemetrics', 'geo-climate']);
    for (const name of enrolled) assert.equal(find(prod, 'Namespace', undefined, name).metadata.labels?.['pod-security.kubernetes.io/enforce'], 'restricted');
  });

  test('STRICT by default in every enrolled namespace; PERMISSIVE only where a development environment says so', () => {
    for (const ns of ['data', 'gamemetrics', 'geo-climate']) assert.equal(find(prod, 'PeerAuthentication', ns, 'default').spec.mtls.mode, 'STRICT');
    const relaxed = withEnv('dev', (e) => (e.mesh = { mtls: 'PERMISSIVE' }));
    assert.ok('model' in relaxed);
    const dev = objects(relaxed.model);
    assert.equal(find(dev, 'PeerAuthentication', 'gamemetrics', 'default').spec.mtls.mode, 'PERMISSIVE');
    assert.equal(find(dev, 'PeerAuthentication', 'data', 'timescaledb-operator-status'), undefined, 'no exception where nothing is strict');
    const refused = withEnv('prod', (e) => (e.mesh = { mtls: 'PERMISSIVE' }));
    assert.ok('problems' in refused);
    assert.match(refused.problems.map((p) => p.message).join('\n'), /a production environment accepts plaintext/);
    assert.equal(spec('prod').mesh, undefined, 'prod relies on the STRICT default');
  });

  test('a service admits exactly its callers on its ports, the gateway if it has an ingress, and Prometheus on the metrics port', () => {
    const users = find(prod, 'AuthorizationPolicy', 'gamemetrics', 'user-service');
    assert.deepEqual(users.spec.selector.matchLabels, { 'app.kubernetes.io/name': 'user-service', 'app.kubernetes.io/instance': 'user-service' });
    assert.deepEqual(users.spec.rules, [
      { from: [{ source: { principals: ['cluster.local/ns/gamemetrics/sa/admin-dashboard', 'cluster.local/ns/gamemetrics/sa/notification-service'] } }], to: [{ operation: { ports: ['8080'] } }] },
      { from: [{ source: { principals: ['cluster.local/ns/monitoring/sa/kube-prometheus-stack-prometheus'] } }], to: [{ operation: { ports: ['8080'] } }] },
    ]);
    const ingest = find(prod, 'AuthorizationPolicy', 'gamemetrics', 'event-ingestion');
    assert.deepEqual(ingest.spec.rules.map((r: any) => r.from[0].source.principals), [['cluster.local/ns/istio-ingress/sa/istio-ingressgateway'], ['cluster.local/ns/monitoring/sa/kube-prometheus-stack-prometheus']]);
    assert.equal(find(prod, 'AuthorizationPolicy', 'gamemetrics', 'data-retention'), undefined, 'a cron job accepts nothing');
    for (const ns of ['data', 'gamemetrics', 'geo-climate']) assert.deepEqual(find(prod, 'AuthorizationPolicy', ns, 'default-deny').spec, {});
  });

  test('the database admits its clients and migration Job by principal, and the operator only in plaintext on its status port', () => {
    const db = find(prod, 'AuthorizationPolicy', 'data', 'timescaledb');
    const principals = db.spec.rules[0].from[0].source.principals;
    assert.deepEqual(principals, [
      ...['analytics-api', 'data-retention', 'event-processor', 'recommendation-engine', 'user-service'].map((s) => `cluster.local/ns/gamemetrics/sa/${s}`),
      'cluster.local/ns/geo-climate/sa/prediction-api',
    ]);
    assert.ok(db.spec.rules.some((r: any) => r.from?.[0].source.principals?.[0] === 'cluster.local/ns/gamemetrics/sa/timescaledb-migrations'));
    assert.ok(db.spec.rules.some((r: any) => r.from?.[0].source.notPrincipals?.[0] === '*' && r.to[0].operation.ports[0] === '8000'));
    const exception = find(prod, 'PeerAuthentication', 'data', 'timescaledb-operator-status');
    assert.deepEqual(exception.spec.portLevelMtls, { '8000': { mode: 'PERMISSIVE' } });
    assert.match(exception.metadata.annotations?.['gamemetrics.dev/mtls-exception-reason'] ?? '', /operator/);
  });
});

describe('human access', () => {
  test('owners edit their own namespaces in dev and view them in staging and prod; only the administrators are cluster-admin', () => {
    for (const [env, role] of [['dev', 'edit'], ['staging', 'view'], ['prod', 'view']] as const) {
      const objs = objects(loadModel(env));
      const bindings = objs.filter((o) => o.kind === 'RoleBinding' && o.metadata.name === 'tenant-owners');
      assert.deepEqual(bindings.map((b) => [b.metadata.namespace, b.roleRef.name, b.subjects.map((s: any) => s.name)]), [
        ['gamemetrics', role, ['sso:gamemetrics-core']],
        ['geo-climate', role, ['sso:geo-climate']],
      ]);
      const admins = objs.filter((o) => o.kind === 'ClusterRoleBinding' && o.roleRef.name === 'cluster-admin');
      assert.deepEqual(admins.flatMap((b) => b.subjects.map((s: any) => `${s.kind}:${s.name}`)), ['Group:sso:platform-admins']);
      const project = find(objs, 'AppProject', 'argocd', `${env}-gamemetrics`);
      assert.deepEqual(project.spec.roles, [{
        name: 'owners',
        description: 'The owners of gamemetrics: get and sync its Applications.',
        groups: ['sso:gamemetrics-core'],
        policies: [`p, proj:${env}-gamemetrics:owners, applications, get, ${env}-gamemetrics/*, allow`, `p, proj:${env}-gamemetrics:owners, applications, sync, ${env}-gamemetrics/*, allow`],
      }]);
      assert.match(find(objs, 'ConfigMap', 'argocd', 'argocd-rbac-cm').data['policy.csv'], /^g, sso:platform-admins, role:admin$/m);
    }
  });

  test('an owning team without an SSO group, or a group no team owns, is refused with the place to fix it', () => {
    const result = withEnv('prod', (e) => (e.access.teamGroups = { 'gamemetrics-core': 'sso:gm', orphans: 'sso:orphans' }));
    assert.ok('problems' in result);
    assert.deepEqual(result.problems.map((p) => [p.path.join('.'), p.message]), [
      ['environments.prod.access.teamGroups', 'team "geo-climate" owns tenant geo-climate (tenants.geo-climate.owners[0]) but has no SSO group here'],
      ['environments.prod.access.teamGroups.orphans', 'team "orphans" owns no tenant'],
    ]);
  });
});

describe('audit policy', () => {
  test('one per cluster in bootstrap/: Secrets at metadata level before anything else, RBAC writes with the request', () => {
    const files = generate(loadModel('prod')).filter((f) => f.object.kind === 'Policy');
    assert.deepEqual(files.map((f) => f.path), ['bootstrap/audit-policy.yaml']);
    const rules = (files[0].object as any).rules as Array<{ level: string; resources?: Array<{ group: string; resources: string[] }>; nonResourceURLs?: string[]; verbs?: string[] }>;
    // The first rule a request for this resource matches (a rule without resources or URLs matches every request).
    const first = (group: string, resource: string) =>
      rules.find((r) => (r.resources ? r.resources.some((g) => g.group === group && g.resources.includes(resource)) : !r.nonResourceURLs));
    assert.equal(first('', 'secrets')!.level, 'Metadata');
    const rbac = first('rbac.authorization.k8s.io', 'rolebindings')!;
    assert.equal(rbac.level, 'Request');
    assert.deepEqual(rbac.verbs, ['create', 'update', 'patch', 'delete', 'deletecollection']);
    assert.deepEqual(rules.at(-1), { level: 'Metadata', omitStages: ['RequestReceived'] });
  });
});
