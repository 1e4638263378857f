// The platform concern on the tiny model: golden files, then ClusterIssuers, Velero's location and
// schedules, the IngressClass, chart values from the model and the loader's checks, field by field;
// and on the real model: every chart pinned to an exact version, the gateway and istiod wired to the model.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { tryLoadSpec } from '../../model/loader.ts';
import { tryLoadModel } from '../../render/sources.ts';
import type { EnvironmentSpec, PlatformSpec } from '../../model/spec.ts';
import { platform as realPlatform } from '../../model/platform.ts';
import { prod as realProd } from '../../environments/prod/index.ts';
import { dev as realDev } from '../../environments/dev/index.ts';
import { concerns } from '../index.ts';
import { goldenTests } from '../testdata/golden.ts';
import { loadTiny, tinyPlatformCopy, TINY_MIGRATIONS, TINY_TODAY } from '../testdata/tiny-model.ts';
import { tinyEnvironments } from '../testdata/tiny-environments.ts';
import { REPLICA_REGION_ANNOTATION, backups } from './backups.ts';
import { chartValues } from './chart-values.ts';
import { clusterIssuers } from './cluster-issuers.ts';
import { ingressClass } from './ingress-class.ts';

const dev = loadTiny('dev');
const prod = loadTiny('prod');

goldenTests(join(import.meta.dirname, 'testdata'), 'the platform generators', (model) => Object.values(concerns.platform).flatMap((g) => g({ model })));

describe('ClusterIssuers', () => {
  test('ACME with the model\'s server and email, HTTP-01 through the ingress gateway\'s class', () => {
    const [issuer] = clusterIssuers({ model: dev }).map((f) => f.object as any);
    assert.equal(issuer.apiVersion, 'cert-manager.io/v1');
    assert.equal(issuer.metadata.name, 'tiny-issuer');
    assert.equal(issuer.spec.acme.server, 'https://acme-staging-v02.api.letsencrypt.org/directory');
    assert.equal(issuer.spec.acme.email, 'ops@tiny.test');
    assert.equal(issuer.spec.acme.privateKeySecretRef.name, 'tiny-issuer-account-key');
    assert.deepEqual(issuer.spec.acme.solvers, [{ http01: { ingress: { class: 'nginx' } } }]);
  });

  test('the ingress gateway\'s issuer must be declared', () => {
    const platform = tinyPlatformCopy();
    platform.ingressGateway.clusterIssuer = 'letsencrypt';
    const result = tryLoadSpec(platform as unknown as PlatformSpec, tinyEnvironments.dev as unknown as EnvironmentSpec, { today: TINY_TODAY, migrations: { ledger: TINY_MIGRATIONS } });
    assert.ok('problems' in result);
    assert.deepEqual(result.problems.map((p) => [p.path.join('.'), p.message]), [['ingressGateway.clusterIssuer', 'ClusterIssuer "letsencrypt" is not declared in clusterIssuers']]);
  });
});

describe('IngressClass', () => {
  test('named as the Ingresses name it, with the model\'s controller', () => {
    const [cls] = ingressClass({ model: dev }).map((f) => f.object as any);
    assert.equal(cls.metadata.name, 'nginx');
    assert.equal(cls.spec.controller, 'istio.io/ingress-controller');
  });
});

describe('Velero backups', () => {
  const objects = (model: typeof dev) => backups({ model }).map((f) => f.object as any);

  test('the location is the environment\'s bucket, declaring the region it replicates to', () => {
    const bsl = objects(prod).find((o) => o.kind === 'BackupStorageLocation');
    assert.equal(bsl.metadata.namespace, 'velero');
    assert.deepEqual(bsl.spec.objectStorage, { bucket: 'tiny-prod-backups', prefix: 'tiny-prod' });
    assert.deepEqual(bsl.spec.config, { region: 'eu-west-1' });
    assert.equal(bsl.spec.default, true);
    assert.equal(bsl.metadata.annotations[REPLICA_REGION_ANNOTATION], 'eu-central-1');
  });

  test('prod keeps daily backups 30 days and hourly ones 48 hours; dev has only a daily one, kept 7 days', () => {
    const schedules = (model: typeof dev) => objects(model).filter((o) => o.kind === 'Schedule').map((o) => [o.metadata.name, o.spec.schedule, o.spec.template.ttl]);
    assert.deepEqual(schedules(prod), [['daily', '0 2 * * *', '720h0m0s'], ['hourly', '15 * * * *', '48h0m0s']]);
    assert.deepEqual(schedules(dev), [['daily', '0 2 * * *', '168h0m0s']]);
    const daily = objects(prod).find((o) => o.metadata.name === 'daily');
    assert.equal(daily.spec.template.storageLocation, 'default');
    assert.deepEqual(daily.spec.template.volumeSnapshotLocations, ['ebs']);
  });

  test('hourly backups kept longer than daily ones, a bucket replicating to its own region, and retention in minutes are refused', () => {
    const environment = structuredClone(tinyEnvironments.prod);
    environment.backups = { ...environment.backups, replicaRegion: 'eu-west-1', daily: { retention: '1d' }, hourly: { retention: '30m' } };
    const result = tryLoadSpec(tinyPlatformCopy() as unknown as PlatformSpec, environment as unknown as EnvironmentSpec, { today: TINY_TODAY, migrations: { ledger: TINY_MIGRATIONS } });
    assert.ok('problems' in result);
    assert.deepEqual(result.problems.map((p) => p.path.join('.')), ['environments.prod.backups.replicaRegion', 'environments.prod.backups.hourly.retention']);
    environment.backups = { ...environment.backups, replicaRegion: 'eu-central-1', hourly: { retention: '48h' } };
    const longer = tryLoadSpec(tinyPlatformCopy() as unknown as PlatformSpec, environment as unknown as EnvironmentSpec, { today: TINY_TODAY, migrations: { ledger: TINY_MIGRATIONS } });
    assert.ok('problems' in longer);
    assert.match(longer.problems[0].message, /hourly backups are kept longer \(48h\) than daily ones \(1d\)/);
  });

  test('Velero\'s chart gets the IAM role and the snapshot region from the environment', () => {
    const velero = prod.components.find((c) => c.name === 'velero')!;
    const values = chartValues(prod, velero) as any;
    assert.equal(values.backupsEnabled, false);
    assert.deepEqual(values.serviceAccount.server.annotations, { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::000000000002:role/tiny-prod-velero' });
    assert.deepEqual(values.configuration.volumeSnapshotLocation, [{ name: 'ebs', provider: 'aws', config: { region: 'eu-west-1' } }]);
  });
});

describe('CRD groups', () => {
  test('only a chart component provides CRD groups, and each group has one provider', () => {
    const platform = tinyPlatformCopy();
    platform.components['cluster-issuers'].crdGroups = ['cert-manager.io'];
    const result = tryLoadSpec(platform as unknown as PlatformSpec, tinyEnvironments.dev as unknown as EnvironmentSpec, { today: TINY_TODAY, migrations: { ledger: TINY_MIGRATIONS } });
    assert.ok('problems' in result);
    assert.deepEqual(result.problems.map((p) => p.message), [
      'component "cluster-issuers" declares CRD groups but installs no chart',
      'CRD group "cert-manager.io" is already provided by component "cert-manager"',
    ]);
  });
});

describe('the real platform', () => {
  const model = (env: EnvironmentSpec) => {
    const result = tryLoadModel(env.name, { today: TINY_TODAY });
    assert.ok('model' in result, JSON.stringify(result));
    return result.model;
  };

  test('every chart is pinned to an exact version, and every CRD-providing chart syncs before wave -1', () => {
    const m = model(realProd);
    const charts = m.components.filter((c) => c.chart);
    assert.deepEqual(charts.map((c) => [c.name, c.chart!.version]), [
      ['argo-rollouts', '2.40.1'], ['cert-manager', 'v1.18.2'], ['cloudnative-pg', '0.26.1'], ['external-secrets', '0.20.4'], ['istio-base', '1.28.0'], ['istio-cni', '1.28.0'],
      ['istio-ingressgateway', '1.28.0'], ['istiod', '1.28.0'], ['kube-prometheus-stack', '88.5.3'], ['kyverno', '3.5.2'], ['log-collector', '0.170.0'], ['loki', '7.3.0'],
      ['node-exporter', '4.56.1'], ['otel-collector', '0.170.0'], ['prometheus-adapter', '5.3.0'], ['strimzi-operator', '1.0.0'], ['tempo', '1.61.3'], ['thanos', '17.6.0'], ['velero', '12.1.0'], ['vertical-pod-autoscaler', '4.10.1'],
    ]);
    for (const c of charts) assert.match(c.chart!.version, /^v?\d+\.\d+\.\d+$/, `${c.name}: ${c.chart!.version} is not an exact version`);
    for (const c of m.components.filter((c) => c.crdGroups.length > 0)) assert.equal(c.wave, -2, `${c.name} provides CRDs at wave ${c.wave}`);
  });

  test('istiod serves the istio class through the gateway whose pods the services admit', () => {
    const m = model(realDev);
    const istiod = chartValues(m, m.components.find((c) => c.name === 'istiod')!) as any;
    assert.deepEqual(istiod.meshConfig, { ingressClass: 'istio', ingressControllerMode: 'STRICT', ingressService: 'istio-ingressgateway', ingressSelector: 'ingressgateway' });
    // Injected pods rely on the CNI agent instead of the root, NET_ADMIN istio-init container (restricted holds).
    assert.deepEqual(istiod.pilot.cni, { enabled: true });
    const gateway = m.components.find((c) => c.name === 'istio-ingressgateway')!;
    assert.equal(gateway.namespace, m.platform.ingressGateway.namespace);
    assert.deepEqual((chartValues(m, gateway) as any).labels, m.platform.ingressGateway.podSelector);
  });

  test('prod keeps hourly backups 48 hours and daily ones 30 days; the other environments keep less', () => {
    assert.deepEqual(model(realProd).environment.backups.schedules.map((s) => [s.name, s.ttlHours]), [['daily', 720], ['hourly', 48]]);
    assert.deepEqual(model(realDev).environment.backups.schedules.map((s) => [s.name, s.ttlHours]), [['daily', 168]]);
  });
});
