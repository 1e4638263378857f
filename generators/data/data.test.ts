// The data concern on the tiny model (generators/testdata/): golden files per environment, and what
// matters asserted field by field: instances and zone spread per environment, backups and retention,
// one role per client service, the grants per access, the migration hook, the chart values.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { LoadedModel } from '../../model/loaded.ts';
import { concerns } from '../index.ts';
import { goldenTests } from '../testdata/golden.ts';
import { tinyEnvironments } from '../testdata/tiny-environments.ts';
import { loadTiny, tinyPlatformCopy } from '../testdata/tiny-model.ts';
import { chartValues, datastoreCharts } from './charts.ts';
import { postgresClusters } from './cluster.ts';
import { HOOK_ANNOTATIONS, schemaMigrations } from './migrations.ts';
import { MINIO_MC_IMAGE, MINIO_USER_SYNC_INTERVAL_S, MINIO_USER_APPLY_DELAY_S } from './minio-users.ts';
import { datastoreNetworkPolicies } from './network-policies.ts';
import { REDIS_ACL_RULES, REDIS_IMAGE } from './redis-acl.ts';
import { checksum, grantsSql, migrationRunner } from './sql.ts';

const dev = loadTiny('dev');
const prod = loadTiny('prod');
const kind = (files: ReturnType<typeof postgresClusters>, k: string) => files.find((f) => f.object.kind === k)?.object as any;
const ledger = (model: LoadedModel) => model.datastores.find((d) => d.name === 'ledger')!;

goldenTests(join(import.meta.dirname, 'testdata'), 'the data generators', (model) => Object.values(concerns.data).flatMap((g) => g({ model })));

describe('CloudNativePG Cluster', () => {
  test('instances, storage and zone anti-affinity come from the environment', () => {
    const p = kind(postgresClusters({ model: prod }), 'Cluster');
    assert.equal(p.spec.instances, 3);
    assert.deepEqual(p.spec.storage, { size: '200Gi', storageClass: 'fast-ssd' });
    assert.deepEqual([p.spec.affinity.topologyKey, p.spec.affinity.podAntiAffinityType], ['topology.kubernetes.io/zone', 'required']);
    const d = kind(postgresClusters({ model: dev }), 'Cluster');
    assert.equal(d.spec.instances, 1);
    assert.equal(d.spec.storage.size, '10Gi', 'the default size');
    assert.equal(d.spec.affinity.podAntiAffinityType, 'preferred', 'one instance, one zone');
  });

  test('WAL archiving and base backups go to the object store, kept for the recovery window', () => {
    const p = kind(postgresClusters({ model: prod }), 'Cluster');
    assert.equal(p.spec.backup.retentionPolicy, '21d');
    assert.equal(p.spec.backup.barmanObjectStore.destinationPath, 's3://tiny-backups/ledger');
    assert.deepEqual(p.spec.backup.barmanObjectStore.s3Credentials.accessKeyId, { name: 'ledger-backup-s3', key: 'access-key-id' });
    assert.equal(p.spec.postgresql.parameters.archive_timeout, '60s');
    assert.equal(kind(postgresClusters({ model: dev }), 'Cluster').spec.backup.retentionPolicy, '7d', 'the default window');
    const backup = kind(postgresClusters({ model: prod }), 'ScheduledBackup');
    assert.deepEqual([backup.spec.schedule, backup.spec.cluster.name, backup.spec.method], ['0 30 1 * * *', 'ledger', 'barmanObjectStore']);
    assert.deepEqual(kind(postgresClusters({ model: prod }), 'PodMonitor').spec.selector.matchLabels, { 'cnpg.io/cluster': 'ledger' });
  });

  test('the PodMonitor is rendered only where a component installs the monitoring CRDs', () => {
    assert.deepEqual(postgresClusters({ model: prod }).filter((f) => f.object.kind === 'PodMonitor').map((f) => f.object.metadata.name), ['ledger']);
    const platform = tinyPlatformCopy();
    delete (platform.components as Record<string, unknown>)['prometheus-operator'];
    const kinds = postgresClusters({ model: loadTiny('prod', { platform }) }).map((f) => f.object.kind);
    assert.deepEqual(kinds, ['Cluster', 'ScheduledBackup']);
  });

  test('one managed role per service that declares the datastore, its password from the Secret the service reads; the migrator managed too', () => {
    const roles = kind(postgresClusters({ model: dev }), 'Cluster').spec.managed.roles;
    assert.deepEqual(roles.map((r: any) => [r.name, r.passwordSecret.name]), [['migrator', 'ledger-migrator'], ['nightly_rollup', 'nightly-rollup-ledger'], ['rank_worker', 'rank-worker-ledger'], ['score_api', 'score-api-ledger']]);
    const spec = tinyPlatformCopy();
    delete spec.tenants.arcade.services['rank-worker'].datastores;
    const without = kind(postgresClusters({ model: loadTiny('dev', { platform: spec }) }), 'Cluster').spec.managed.roles;
    assert.deepEqual(without.map((r: any) => r.name), ['migrator', 'nightly_rollup', 'score_api']);
  });
});

describe('grants and migrations', () => {
  test('read gets SELECT, read-write SELECT, INSERT, UPDATE, DELETE, on the schema only, CONNECT revoked from PUBLIC', () => {
    const sql = grantsSql(ledger(dev));
    assert.match(sql, /REVOKE ALL ON DATABASE "arcade" FROM PUBLIC;/);
    assert.match(sql, /GRANT SELECT ON ALL TABLES IN SCHEMA "scores" TO "nightly_rollup";/);
    assert.match(sql, /GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "scores" TO "rank_worker";/);
    assert.doesNotMatch(sql, /INSERT[^\n]*TO "nightly_rollup"/);
    const spec = tinyPlatformCopy();
    spec.tenants.arcade.services['nightly-rollup'].datastores = [{ name: 'ledger', access: 'read-write' }];
    assert.match(grantsSql(ledger(loadTiny('dev', { platform: spec }))), /GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "scores" TO "nightly_rollup";/);
  });

  test('the runner applies each migration once, in version order, guarded by its checksum', () => {
    const runner = migrationRunner(ledger(dev));
    assert.ok(runner.indexOf('\\ir 0001_scores.sql') < runner.indexOf('\\ir 0002_players.sql'));
    assert.match(runner, /pg_advisory_xact_lock/);
    for (const file of ledger(dev).cluster!.migrationFiles) assert.ok(runner.includes(`'${checksum(file)}'`), file.file);
  });

  test('an Argo CD PreSync hook Job in the owner tenant, restricted, with the migrator credentials', () => {
    const files = schemaMigrations({ model: dev });
    assert.deepEqual(files.map((f) => f.path), ['tenants/arcade/arcade/serviceaccount-ledger-migrations.yaml', 'tenants/arcade/arcade/configmap-ledger-migrations.yaml', 'tenants/arcade/arcade/job-ledger-migrations.yaml', 'tenants/arcade/arcade/networkpolicy-ledger-migrations.yaml']);
    const job = kind(files, 'Job');
    assert.deepEqual(job.metadata.annotations, HOOK_ANNOTATIONS);
    const pod = job.spec.template.spec;
    // Its own identity (the mesh admits exactly it to the database), created by a hook one wave earlier.
    const account = kind(files, 'ServiceAccount');
    assert.equal(pod.serviceAccountName, account.metadata.name);
    assert.equal(account.metadata.annotations['argocd.argoproj.io/hook'], 'PreSync');
    assert.equal(account.metadata.annotations['argocd.argoproj.io/sync-wave'], '-1');
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.deepEqual(pod.containers[0].securityContext.capabilities, { drop: ['ALL'] });
    assert.match(pod.containers[0].image, /@sha256:[0-9a-f]{64}$/);
    assert.deepEqual(pod.containers[0].env.filter((e: any) => e.valueFrom).map((e: any) => e.valueFrom.secretKeyRef.name), ['ledger-migrator', 'ledger-migrator']);
    assert.deepEqual(Object.keys(kind(files, 'ConfigMap').data), ['0001_scores.sql', '0002_players.sql', 'grants.sql', 'migrate.sql']);
  });
});

describe('chart datastores', () => {
  test('Redis: standalone with one node, replication with Sentinel and a master Service with three', () => {
    const cache = (m: LoadedModel) => chartValues(m, m.datastores.find((d) => d.name === 'cache')!) as any;
    assert.equal(cache(dev).architecture, 'standalone');
    assert.equal(cache(dev).sentinel, undefined);
    assert.equal(cache(prod).architecture, 'replication');
    assert.deepEqual(cache(prod).sentinel, { enabled: true, quorum: 2, masterService: { enabled: true } });
    assert.equal(cache(prod).replica.replicaCount, 3);
    assert.equal(cache(prod).auth.existingSecret, 'cache-auth');
  });

  test('Redis ACL users: every server (master and, with Sentinel, each replica) includes its clients\' lines and runs acl-sync on the pinned image', () => {
    const withClients = (env: 'dev' | 'prod') => {
      const p = tinyPlatformCopy();
      p.tenants.arcade.services['score-api'].datastores = [{ name: 'cache' }];
      p.tenants.arcade.services['nightly-rollup'].datastores = [{ name: 'cache', access: 'read' }];
      return loadTiny(env, { platform: p });
    };
    const cache = (m: LoadedModel) => chartValues(m, m.datastores.find((d) => d.name === 'cache')!) as any;
    const [devUsers, prodUsers] = [withClients('dev'), withClients('prod')];
    const clients = ['nightly-rollup-cache', 'score-api-cache'];
    assert.equal(cache(dev).master.sidecars, undefined, 'no clients, no users and no sidecar');
    for (const part of [cache(devUsers).master, cache(prodUsers).master, cache(prodUsers).replica]) {
      assert.deepEqual(part.extraVolumes[0].projected.sources.map((x: any) => x.secret.name).sort(), clients);
      assert.deepEqual(part.sidecars.map((c: any) => c.name), ['acl-sync']);
      assert.equal(part.sidecars[0].image, `registry.tiny.test/mirror/${REDIS_IMAGE.repository}:${REDIS_IMAGE.tag}`);
    }
    assert.deepEqual(cache(prodUsers).image, { ...REDIS_IMAGE });
    assert.match(cache(prodUsers).commonConfiguration, /^include \/opt\/bitnami\/redis\/acl-users\/\*\.conf$/m);
  });

  test('MinIO users: the user-sync sidecar beside every server, on the pinned mc image, reads each client\'s Secret; the chart\'s user job is not used', () => {
    const withMinio = (clients: boolean) => {
      const p = tinyPlatformCopy();
      p.datastores.blobs = { description: 'MinIO.', engine: 'minio', namespace: 'data', host: 'blobs.data.svc.cluster.local', port: 9000, database: 'tiny-archive', podSelector: { app: 'minio', release: 'blobs' },
        chart: { repoURL: 'https://charts.tiny.test/minio', name: 'minio', version: '1.0.0', imageRegistry: 'registry.tiny.test/mirror', credentialsSecret: 'blobs-root', buckets: [{ name: 'tiny-archive' }] } };
      if (clients) {
        p.tenants.arcade.services['score-api'].datastores = [{ name: 'blobs' }];
        p.tenants.arcade.services['nightly-rollup'].datastores = [{ name: 'blobs', access: 'read' }];
      }
      const m = loadTiny('dev', { platform: p });
      return chartValues(m, m.datastores.find((d) => d.name === 'blobs')!) as any;
    };
    const none = withMinio(false);
    assert.deepEqual([none.extraContainers, none.extraVolumes], [undefined, undefined], 'no clients, no users and no sidecar');
    {
      // The chart puts extraContainers and extraVolumes into the Deployment (standalone) and the StatefulSet (distributed) alike.
      const values = withMinio(true);
      assert.equal(values.users, undefined);
      assert.deepEqual(values.mcImage, { repository: `registry.tiny.test/mirror/${MINIO_MC_IMAGE.repository}`, tag: MINIO_MC_IMAGE.tag });
      assert.deepEqual(values.extraContainers.map((c: any) => [c.name, c.image]), [['user-sync', `${values.mcImage.repository}:${values.mcImage.tag}`]]);
      const sidecar = values.extraContainers[0];
      const env = Object.fromEntries(sidecar.env.map((e: any) => [e.name, e.value ?? e.valueFrom.secretKeyRef.name]));
      assert.equal(env.MINIO_PORT, values.minioAPIPort, 'the sidecar talks to the port the server listens on');
      assert.equal(env.MINIO_ROOT_PASSWORD, values.existingSecret);
      const sources = values.extraVolumes.find((v: any) => v.name === 'minio-users').projected.sources;
      assert.deepEqual(sources.map((x: any) => [x.secret.name, x.secret.items.map((i: any) => i.path)]), [
        ['nightly-rollup-blobs', ['nightly-rollup/access-key-id', 'nightly-rollup/policy', 'nightly-rollup/secret-access-key']],
        ['score-api-blobs', ['score-api/access-key-id', 'score-api/policy', 'score-api/secret-access-key']],
      ]);
      assert.deepEqual(values.extraVolumes.find((v: any) => v.name === 'minio-user-sync').emptyDir.medium, 'Memory', 'what the sidecar applied stays in memory');
      assert.ok(sidecar.securityContext.readOnlyRootFilesystem && sidecar.securityContext.runAsNonRoot);
    }
    // A change waits longer than the kubelet's Secret refresh (about a minute) so that clients hold the new key first.
    assert.ok(MINIO_USER_APPLY_DELAY_S >= 60 + MINIO_USER_SYNC_INTERVAL_S);
  });

  test('Redis ACL rules: read cannot write, publish or run scripts; nobody runs dangerous commands', () => {
    const [read, write] = [REDIS_ACL_RULES.read, REDIS_ACL_RULES['read-write']];
    for (const forbidden of ['+@write', '+@scripting', '+@pubsub', '+@transaction', '~*']) assert.ok(!(read as readonly string[]).includes(forbidden), `read has ${forbidden}`);
    for (const rules of [read, write]) {
      assert.equal(rules.indexOf('-@all'), 4, 'everything is revoked before anything is granted');
      assert.ok(rules.indexOf('-@dangerous') > rules.indexOf('+@read'), 'dangerous commands are revoked after the categories that contain them');
    }
  });

  test('an Application per chart datastore, pinned, release named after the datastore, in a project admitting only its namespace', () => {
    const files = datastoreCharts({ model: prod });
    const app = files.find((f) => f.object.kind === 'Application')!.object as any;
    assert.deepEqual([app.spec.source.chart, app.spec.source.targetRevision, app.spec.source.helm.releaseName, app.spec.destination.namespace], ['redis', '19.2.0', 'cache', 'data']);
    const project = files.find((f) => f.object.kind === 'AppProject')!.object as any;
    assert.deepEqual(project.spec.destinations.map((d: any) => d.namespace), ['data']);
    assert.deepEqual(project.spec.clusterResourceWhitelist, []);
  });
});

describe('the model refuses', () => {
  test('Redis with 2 nodes, MinIO with 2 or 3, and a datastore the platform does not declare', () => {
    const problems = (datastores: Record<string, { instances?: number }>) => {
      try {
        loadTiny('dev', { environment: { ...structuredClone(tinyEnvironments.dev), datastores } });
        return '';
      } catch (e) {
        return String(e);
      }
    };
    assert.match(problems({ cache: { instances: 2 } }), /Sentinel needs 3 nodes/);
    assert.equal(problems({ cache: { instances: 3 } }), '');
    assert.match(problems({ vault: { instances: 1 } }), /no datastore named "vault"/);
  });
});

describe('NetworkPolicies of the datastores', () => {
  const policy = (model: LoadedModel, store: string) => datastoreNetworkPolicies({ model }).find((f) => f.object.metadata.name === store)!.object as any;
  const admitted = (p: any, port: number) => p.spec.ingress.filter((r: any) => r.ports?.some((x: any) => x.port === port))
    .map((r: any) => `${r.from[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name']}/${Object.values(r.from[0].podSelector.matchLabels).join(',')}`);

  test('PostgreSQL: the client services and the migration Job on 5432, the operator on 8000, Prometheus on 9187, its own pods on every port', () => {
    const p = policy(prod, 'ledger');
    assert.deepEqual(p.spec.podSelector.matchLabels, { 'cnpg.io/cluster': 'ledger' });
    assert.deepEqual(p.spec.policyTypes, ['Ingress', 'Egress']);
    assert.deepEqual(admitted(p, 5432), ['arcade-jobs/nightly-rollup,nightly-rollup', 'arcade/rank-worker,rank-worker', 'arcade/score-api,score-api', 'arcade/ledger-migrations']);
    assert.deepEqual(admitted(p, 8000), ['cnpg-system/cloudnative-pg']);
    assert.deepEqual(admitted(p, 9187), ['monitoring/prometheus']);
    assert.deepEqual(p.spec.ingress[0], { from: [{ podSelector: { matchLabels: { 'cnpg.io/cluster': 'ledger' } } }] }, 'replication between instances');
    const egressPorts = p.spec.egress.flatMap((r: any) => (r.ports ?? []).map((x: any) => x.port));
    assert.deepEqual(egressPorts, [443, 443, 6443], 'the backup endpoint (https) and the API server');
  });

  test('a service that stops declaring the datastore is no longer admitted', () => {
    const spec = tinyPlatformCopy();
    delete spec.tenants.arcade.services['rank-worker'].datastores;
    const p = policy(loadTiny('prod', { platform: spec }), 'ledger');
    assert.ok(!admitted(p, 5432).some((s: string) => s.includes('rank-worker')));
    assert.equal(admitted(p, 5432).length, 3);
  });

  test('Redis: the whole release (Sentinel included) talks to itself; Prometheus scrapes redis_exporter; the API server only with Sentinel', () => {
    const p = policy(prod, 'cache');
    assert.deepEqual(p.spec.podSelector.matchLabels, { 'app.kubernetes.io/instance': 'cache' });
    assert.deepEqual(p.spec.ingress, [
      { from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'cache' } } }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }], ports: [{ protocol: 'TCP', port: 9121 }] },
    ], 'no client declares cache in the tiny model');
    assert.equal(p.spec.egress.length, 2, 'its own pods and the API server (3 instances: Sentinel)');
    assert.equal(policy(dev, 'cache').spec.egress.length, 1, 'standalone: its own pods only');
  });
});
