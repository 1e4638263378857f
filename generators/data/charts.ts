// Redis, Qdrant and MinIO from their upstream Helm charts, pinned, each an Argo CD Application in the
// root app's folder with values from the model and the environment's sizing, in an AppProject that
// admits only those charts and only the datastores' namespaces.
import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import type { IAppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import type { LoadedDatastore, LoadedModel } from '../../model/loaded.ts';
import { APPS_FOLDER, PROJECT_WAVE, RESOURCES_FINALIZER, SYNC_WAVE_ANNOTATION, applicationPrefix, syncPolicy } from '../argocd/argocd.ts';
import { platformLabels } from '../core/labels.ts';
import { customObject } from '../core/plain-object.ts';
import type { Generator, OutputFile } from '../core/types.ts';
import { MONITOR_SELECTOR_LABELS, monitoringInstalled } from '../observability/stack/names.ts';
import { QDRANT_API_KEY_KEY, REDIS_PASSWORD_KEY, readOnlyKeySecret } from './credentials.ts';
import { MINIO_MC_IMAGE, minioUserValues } from './minio-users.ts';
import { REDIS_IMAGE, redisAclValues } from './redis-acl.ts';

/** After the operators (-2), with the other shared infrastructure. */
export const DATASTORE_WAVE = -1;

type Chart = NonNullable<LoadedDatastore['chart']>;

/** Helm values of a datastore's chart: sizes from the environment, images from the mirror, credentials from Secrets. */
export function chartValues(model: LoadedModel, store: LoadedDatastore): Record<string, unknown> {
  const chart = store.chart as Chart;
  const n = store.instances;
  if (store.engine === 'redis') {
    const persistence = { storageClass: store.storageClass, size: store.storage };
    // One ACL user per client service (redis-acl.ts), on the master and on every replica (a replica may be promoted).
    const { commonConfiguration, ...users } = redisAclValues(store);
    return {
      global: { imageRegistry: chart.imageRegistry },
      // Pinned here, not left to the chart's default: the acl-sync sidecar runs the same image.
      image: { repository: REDIS_IMAGE.repository, tag: REDIS_IMAGE.tag },
      architecture: n > 1 ? 'replication' : 'standalone',
      // The default user keeps the server's own password: replication, Sentinel and the exporter use it; no service holds it.
      auth: { enabled: true, existingSecret: chart.credentialsSecret, existingSecretPasswordKey: REDIS_PASSWORD_KEY },
      commonConfiguration,
      master: { persistence, ...users },
      // redis_exporter beside each server; its ServiceMonitor once the monitoring stack's CRDs are installed.
      metrics: { enabled: true, serviceMonitor: { enabled: monitoringInstalled(model), additionalLabels: { ...MONITOR_SELECTOR_LABELS } } },
      ...(n > 1
        ? {
            replica: { replicaCount: n, persistence, automountServiceAccountToken: true, ...users },
            // The `redis-master` Service follows the master Sentinel elects; the chart needs RBAC for it.
            sentinel: { enabled: true, quorum: Math.floor(n / 2) + 1, masterService: { enabled: true } },
            rbac: { create: true },
            serviceAccount: { create: true },
          }
        : {}),
    };
  }
  if (store.engine === 'qdrant') {
    return {
      replicaCount: n,
      image: { repository: `${chart.imageRegistry}/qdrant/qdrant` },
      persistence: { storageClassName: store.storageClass, size: store.storage },
      config: { cluster: { enabled: n > 1 } },
      // The chart's own apiKey values read Secrets with `lookup`, which Argo CD's rendering cannot; the server reads it from the environment instead.
      apiKey: false,
      // Clients that declare `read` hold the read-only key (search and retrieve only), the others the full one.
      env: [
        { name: 'QDRANT__SERVICE__API_KEY', valueFrom: { secretKeyRef: { name: chart.credentialsSecret, key: QDRANT_API_KEY_KEY } } },
        { name: 'QDRANT__SERVICE__READ_ONLY_API_KEY', valueFrom: { secretKeyRef: { name: readOnlyKeySecret(store), key: QDRANT_API_KEY_KEY } } },
      ],
    };
  }
  // MinIO
  const lifecycle = chart.buckets.flatMap((b) => [
    ...(b.expireAfterDays ? [{ command: `ilm rule add --expire-days ${b.expireAfterDays} myminio/${b.name}` }] : []),
    ...(b.noncurrentExpireAfterDays ? [{ command: `ilm rule add --noncurrent-expire-days ${b.noncurrentExpireAfterDays} myminio/${b.name}` }] : []),
    // The default retention of a locked bucket: every version written is locked for `days`.
    ...(b.objectLock ? [{ command: `retention set --default ${b.objectLock.mode} ${b.objectLock.days}d myminio/${b.name}` }] : []),
  ]);
  return {
    mode: n > 1 ? 'distributed' : 'standalone',
    replicas: n,
    image: { repository: `${chart.imageRegistry}/minio/minio` },
    // Pinned here, not left to the chart's default: the user-sync sidecar runs the same image.
    mcImage: { repository: `${chart.imageRegistry}/${MINIO_MC_IMAGE.repository}`, tag: MINIO_MC_IMAGE.tag },
    existingSecret: chart.credentialsSecret,
    persistence: { storageClass: store.storageClass, size: store.storage },
    resources: { requests: { memory: '1Gi' } },
    // `objectlocking` makes the chart create the bucket with `mc mb --with-lock` (versioning on, and its own `versioning` ignored).
    buckets: chart.buckets.map((b) => ({ name: b.name, policy: 'none', purge: false, versioning: b.versioning, ...(b.objectLock ? { objectlocking: true } : {}) })),
    customCommands: lifecycle,
    // The server listens where the user-sync sidecar and the clients reach it.
    minioAPIPort: String(store.port),
    // One user per client service, kept in step with its own Secret (key, policy) by the user-sync sidecar (minio-users.ts).
    ...minioUserValues(store),
  };
}

export const datastoreCharts: Generator = ({ model }) => {
  const stores = model.datastores.filter((s) => s.chart);
  if (stores.length === 0) return [];
  const env = model.environment.name;
  const labels = platformLabels(model, 'argocd');
  const prefix = applicationPrefix(model);
  const project = `${prefix}-datastores`;
  const out: OutputFile[] = stores.map((store) => {
    const chart = store.chart as Chart;
    const name = `${prefix}-${store.name}`;
    return {
      path: `${APPS_FOLDER}/application-${name}.yaml`,
      source: `${store.modelPath}.chart`,
      object: customObject<IApplication>({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: model.platform.argocdNamespace, labels, annotations: { [SYNC_WAVE_ANNOTATION]: String(DATASTORE_WAVE) }, finalizers: [RESOURCES_FINALIZER] },
        spec: {
          project,
          source: { repoURL: chart.repoURL, chart: chart.name, targetRevision: chart.version, helm: { releaseName: store.name, valuesObject: chartValues(model, store) } },
          destination: { server: model.environment.cluster.server, namespace: store.namespace },
          syncPolicy: syncPolicy(true),
        },
      }),
    };
  });
  out.push({
    path: `${APPS_FOLDER}/appproject-${project}.yaml`,
    source: 'datastores',
    object: customObject<IAppProject>({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: project, namespace: model.platform.argocdNamespace, labels, annotations: { [SYNC_WAVE_ANNOTATION]: String(PROJECT_WAVE) } },
      spec: {
        description: `The datastores installed from upstream charts in ${env}: only those charts, only their namespaces, no cluster-scoped kinds.`,
        sourceRepos: [...new Set(stores.map((s) => s.chart!.repoURL))].sort(),
        destinations: [...new Set(stores.map((s) => s.namespace))].sort().map((namespace) => ({ server: model.environment.cluster.server, namespace })),
        clusterResourceWhitelist: [],
        namespaceResourceWhitelist: [{ group: '*', kind: '*' }],
        orphanedResources: { warn: true },
      },
    }),
  });
  return out;
};
