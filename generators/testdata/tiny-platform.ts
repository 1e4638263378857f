// The tiny platform the generator tests render: two tenants, one service of each kind (plus one
// without Kafka in another tenant), three topics, one datastore, the components the generators write
// into (one installed from a chart) and a waiver. Small enough to read whole, independent of model/.
import type { ChaosExperimentSpec, DatastoreSpec, Duration, PlatformSpec, PostgresClusterSpec, ServiceSpec, TenantSpec, TopicSpec } from '../../model/spec.ts';

// model/names.ts types the real platform's names; the tiny platform has its own, so its declarations
// use the spec's shapes over plain strings (tsc still checks every field name and value).
type TinyService = Omit<ServiceSpec, 'calls' | 'produces' | 'consumes' | 'datastores'> & {
  calls?: string[];
  produces?: string[];
  consumes?: Array<string | { topic: string; deadLetter?: string; maxLag?: number }>;
  datastores?: Array<{ name: string; access?: 'read' | 'read-write'; rotation?: Duration }>;
};
type TinyTenant = Omit<TenantSpec, 'services'> & { services: Record<string, TinyService> };
export type TinyPlatformSpec = Omit<PlatformSpec, 'tenants' | 'topics' | 'datastores' | 'chaosExperiments'> & {
  chaosExperiments?: Array<Omit<ChaosExperimentSpec, 'service' | 'datastore'> & { service: string; datastore?: string }>;
  tenants: Record<string, TinyTenant>;
  topics: Record<string, Omit<TopicSpec, 'owner'> & { owner: string }>;
  datastores: Record<string, Omit<DatastoreSpec, 'cluster'> & { cluster?: Omit<PostgresClusterSpec, 'owner'> & { owner: string } }>;
};

export const tinyPlatform: TinyPlatformSpec = {
  apiVersion: 'gamemetrics.dev/v1',
  name: 'tiny',
  git: { repoURL: 'https://git.tiny.test/platform.git' },
  ingressGateway: { namespace: 'gateway', podSelector: { app: 'gateway' }, ingressClassName: 'nginx', clusterIssuer: 'tiny-issuer' },
  monitoring: {
    namespace: 'monitoring',
    podSelector: { 'app.kubernetes.io/name': 'prometheus' },
    platformOwners: [{ team: 'tiny-platform', email: 'platform@tiny.test' }],
    alerting: { groupBy: ['alertname', 'tenant'], groupWait: '30s', groupInterval: '5m', repeatInterval: '4h', defaultSlackChannel: '#tiny-alerts', inhibitions: [] },
  },
  resourceProfiles: {
    small: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    medium: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1000m', memory: '512Mi' } },
  },
  components: {
    namespaces: { description: 'Namespaces and their guardrails.', namespace: 'kube-system', wave: -3, clusterResources: [{ group: '', kind: 'Namespace' }] },
    access: { description: "Tenant owners' RoleBindings and the administrators' ClusterRoleBinding.", namespace: 'kube-system', wave: -3, clusterResources: [{ group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' }] },
    'external-secrets': {
      description: 'External Secrets Operator, from its chart.',
      namespace: 'external-secrets',
      wave: -2,
      chart: { repoURL: 'https://charts.external-secrets.io', name: 'external-secrets', version: '0.20.4' },
      network: { apiServer: true },
      crdGroups: ['external-secrets.io', 'generators.external-secrets.io'],
    },
    'cloudnative-pg': {
      description: 'The CloudNativePG operator, from its chart.',
      namespace: 'cnpg-system',
      wave: -2,
      chart: { repoURL: 'https://cloudnative-pg.github.io/charts', name: 'cloudnative-pg', version: '0.26.1' },
      network: { apiServer: true, ingressPorts: [9443] },
      crdGroups: ['postgresql.cnpg.io'],
    },
    'prometheus-operator': {
      description: 'The Prometheus operator, from its chart (its CRDs let datastores declare their monitors).',
      namespace: 'monitoring',
      wave: -2,
      chart: { repoURL: 'https://prometheus-community.github.io/helm-charts', name: 'kube-prometheus-stack', version: '79.5.0' },
      network: { apiServer: true, ingressPorts: [8080] },
      crdGroups: ['monitoring.coreos.com'],
    },
    'strimzi-operator': {
      description: 'The Strimzi operator, from its chart.',
      namespace: 'strimzi',
      wave: -2,
      chart: { repoURL: 'https://strimzi.io/charts/', name: 'strimzi-kafka-operator', version: '1.0.0', values: { watchAnyNamespace: true } },
      clusterResources: [{ group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' }],
      network: { apiServer: true, ingressPorts: [8080] },
      crdGroups: ['kafka.strimzi.io'],
    },
    kyverno: {
      description: 'Kyverno, from its chart.',
      namespace: 'kyverno',
      wave: -2,
      chart: { repoURL: 'https://kyverno.github.io/kyverno/', name: 'kyverno', version: '3.5.2' },
      crdGroups: ['kyverno.io'],
    },
    kafka: { description: 'The Kafka cluster.', namespace: 'kafka', wave: -1, network: { apiServer: true } },
    datastores: { description: 'The operator-run datastores.', namespace: 'data', wave: -1 },
    observability: { description: 'Monitors, dashboards and the monitoring namespace\'s network access.', namespace: 'monitoring', wave: -1 },
    policies: { description: 'Kyverno policies.', namespace: 'kyverno', wave: -1, clusterResources: [{ group: 'kyverno.io', kind: 'ClusterPolicy' }] },
    secrets: { description: 'Secret store, ExternalSecrets and credential copies.', namespace: 'external-secrets', wave: -1, clusterResources: [{ group: 'external-secrets.io', kind: 'ClusterSecretStore' }, { group: 'kyverno.io', kind: 'ClusterPolicy' }] },
    'storage-classes': { description: 'StorageClasses.', namespace: 'kube-system', wave: -3, clusterResources: [{ group: 'storage.k8s.io', kind: 'StorageClass' }] },
    'ingress-class': { description: 'The IngressClass.', namespace: 'kube-system', wave: -3, clusterResources: [{ group: 'networking.k8s.io', kind: 'IngressClass' }] },
    'cert-manager': {
      description: 'cert-manager, from its chart.',
      namespace: 'cert-manager',
      wave: -2,
      chart: { repoURL: 'https://charts.jetstack.io', name: 'cert-manager', version: 'v1.18.2', values: { crds: { enabled: true } } },
      network: { apiServer: true, ingressPorts: [10250], egressPorts: [80, 443] },
      crdGroups: ['cert-manager.io'],
    },
    'vertical-pod-autoscaler': {
      description: 'The VPA recommender, from its chart.',
      namespace: 'vpa',
      wave: -2,
      chart: { repoURL: 'https://charts.fairwinds.com/stable', name: 'vpa', version: '4.10.1' },
      network: { apiServer: true },
      crdGroups: ['autoscaling.k8s.io'],
    },
    'chaos-experiments': { description: 'Chaos Mesh Schedules.', namespace: 'chaos-mesh', wave: -1, installWhen: 'chaos' },
    'cluster-issuers': { description: 'ClusterIssuers.', namespace: 'cert-manager', wave: -1, clusterResources: [{ group: 'cert-manager.io', kind: 'ClusterIssuer' }] },
    velero: {
      description: 'Velero, from its chart.',
      namespace: 'velero',
      wave: -2,
      chart: { repoURL: 'https://vmware-tanzu.github.io/helm-charts', name: 'velero', version: '12.1.0', values: { backupsEnabled: false } },
      crdGroups: ['velero.io'],
      podSecurity: { level: 'baseline', reason: 'Tiny: exercises a namespace below restricted.' },
    },
    backups: { description: 'Velero locations and schedules.', namespace: 'velero', wave: -1 },
    'alert-rules': { description: 'The platform alert catalog.', namespace: 'monitoring', wave: -1 },
  },
  tenants: {
    arcade: {
      displayName: 'Arcade',
      description: 'High scores and leaderboards.',
      owners: [{ team: 'arcade', email: 'arcade@tiny.test' }],
      costCentre: 'cc-100-arcade',
      namespaces: ['arcade', 'arcade-jobs'],
      quota: { requests: { cpu: '4', memory: '8Gi' }, limits: { cpu: '12', memory: '24Gi' }, pods: 30 },
      services: {
        'score-api': {
          description: 'Accepts scores over HTTP and writes them to scores.raw.',
          kind: 'http-api',
          image: 'registry.tiny.test/arcade/score-api',
          resources: 'medium',
          produces: ['scores.raw'],
          transactionalIds: ['score-api.tx'],
          datastores: [{ name: 'ledger' }],
          secretEnv: [{ env: 'API_KEYS', secret: 'score-api-keys', key: 'api-keys' }],
          config: { MAX_BATCH_SCORES: '500' },
          ingress: { host: 'scores', path: '/v1/scores' },
          rateLimits: {
            tiers: [
              { name: 'free', requestsPerMinute: 60, dailyQuota: 1000, burst: 100 },
              { name: 'pro', requestsPerMinute: 600, dailyQuota: 'unlimited' },
              { name: 'unlimited', requestsPerMinute: 'unlimited', dailyQuota: 'unlimited' },
            ],
            endpoints: [{ route: 'POST /v1/scores/batch', requestsPerMinute: 30 }],
            whenRedisDown: 'closed',
          },
          handlesPersonalData: true,
        },
        'rank-worker': {
          description: 'Ranks raw scores and republishes them.',
          kind: 'kafka-worker',
          image: 'registry.tiny.test/arcade/rank-worker',
          consumes: [{ topic: 'scores.raw', deadLetter: 'scores.raw.dlq', maxLag: 2500 }],
          produces: ['scores.ranked'],
          datastores: [{ name: 'ledger' }],
        },
        'scoreboard-web': {
          description: 'The public scoreboard.',
          kind: 'web-frontend',
          image: 'registry.tiny.test/arcade/scoreboard-web',
          calls: ['score-api'],
          ingress: { host: 'board' },
        },
        'nightly-rollup': {
          description: 'Nightly: rolls up the day\'s scores.',
          kind: 'cron-job',
          image: 'registry.tiny.test/arcade/nightly-rollup',
          namespace: 'arcade-jobs',
          schedule: '0 3 * * *',
          datastores: [{ name: 'ledger', access: 'read' }],
        },
      },
    },
    labs: {
      displayName: 'Labs',
      description: 'Experiments that use no Kafka.',
      owners: [{ team: 'labs', email: 'labs@tiny.test' }],
      costCentre: 'cc-200-labs',
      namespaces: ['labs'],
      quota: { requests: { cpu: '4', memory: '8Gi' }, limits: { cpu: '12', memory: '16Gi' }, pods: 30 },
      services: {
        'forecast-api': {
          description: 'Forecasts tomorrow\'s scores.',
          kind: 'http-api',
          image: 'registry.tiny.test/labs/forecast-api',
          resources: { requests: { cpu: '200m', memory: '192Mi' }, limits: { cpu: '400m', memory: '384Mi' } },
          health: { liveness: '/live', readiness: '/ready', initialDelaySeconds: 9 },
        },
      },
    },
  },
  topics: {
    'scores.raw': {
      description: 'Scores as submitted.',
      owner: 'arcade',
      retention: '3d',
      schema: { type: 'object', required: ['playerId', 'score'], properties: { playerId: { type: 'string' }, score: { type: 'integer' } } },
    },
    'scores.raw.dlq': { description: 'Scores the ranker could not process.', owner: 'arcade', retention: '14d', purpose: 'dead-letter' },
    'scores.ranked': {
      description: 'Ranked scores, latest per player.',
      owner: 'arcade',
      retention: '1d',
      cleanupPolicy: 'compact',
      schema: { type: 'object', required: ['playerId', 'rank'], properties: { playerId: { type: 'string' }, rank: { type: 'integer', minimum: 1 } } },
    },
  },
  datastores: {
    ledger: {
      description: 'PostgreSQL: scores and players.',
      engine: 'postgresql',
      namespace: 'data',
      host: 'ledger-rw.data.svc.cluster.local',
      port: 5432,
      database: 'arcade',
      podSelector: { 'cnpg.io/cluster': 'ledger' },
      cluster: {
        image: `registry.tiny.test/mirror/timescale:15.13-ts2.21.3@sha256:${'7'.repeat(64)}`,
        schema: 'scores',
        owner: 'arcade',
        migrations: 'tiny/migrations/ledger',
        migrator: 'migrator',
        archiveTimeoutSeconds: 60,
        operator: { namespace: 'cnpg-system', podSelector: { 'app.kubernetes.io/name': 'cloudnative-pg' } },
        backup: { destinationPath: 's3://tiny-backups/ledger', endpointURL: 'https://s3.tiny.test', credentialsSecret: 'ledger-backup-s3', schedule: '30 1 * * *' },
      },
    },
    cache: {
      description: 'Redis: hot leaderboards.',
      engine: 'redis',
      namespace: 'data',
      host: 'cache-master.data.svc.cluster.local',
      port: 6379,
      podSelector: { 'app.kubernetes.io/name': 'redis', 'app.kubernetes.io/instance': 'cache' },
      chart: { repoURL: 'registry-1.docker.io/bitnamicharts', name: 'redis', version: '19.2.0', imageRegistry: 'registry.tiny.test/mirror', credentialsSecret: 'cache-auth' },
    },
  },
  storageClasses: {
    fast: { description: 'SSD with provisioned IOPS.', volumeType: 'gp3', iops: 4000, throughputMiBps: 200, reclaimPolicy: 'Retain' },
    'fast-ssd': { description: 'Kafka.', volumeType: 'gp3' },
    cold: { description: 'Archives.', volumeType: 'sc1', default: true },
  },
  clusterIssuers: {
    'tiny-issuer': { description: 'ACME staging.', acme: { server: 'https://acme-staging-v02.api.letsencrypt.org/directory', email: 'ops@tiny.test' } },
  },
  capacity: {
    prices: { currency: 'USD', cpuCoreHour: 0.04, memoryGiBHour: 0.005 },
    platformNamespaceQuota: { requests: { cpu: '2', memory: '4Gi' }, limits: { cpu: '8', memory: '16Gi' }, pods: 20 },
    namespaceQuotas: {
      data: { requests: { cpu: '8', memory: '32Gi' }, limits: { cpu: '16', memory: '64Gi' }, pods: 20, persistentVolumeClaims: 6, storage: '700Gi' },
      kafka: { requests: { cpu: '8', memory: '32Gi' }, limits: { cpu: '16', memory: '64Gi' }, pods: 20, persistentVolumeClaims: 12, storage: '4000Gi' },
    },
  },
  policies: {
    approvedRegistries: ['registry.tiny.test/'],
    imageSigning: { issuer: 'https://token.actions.githubusercontent.com', subject: 'https://github.com/tiny/platform/.github/workflows/release.yml@refs/heads/main' },
    waivers: [{
      rule: 'best-practices/replicas',
      target: 'rank-worker',
      environments: ['dev'],
      reason: 'One ranker is enough in dev; prod runs three.',
      expires: '2027-06-30',
      approvedBy: 'arcade-lead@tiny.test',
    }],
  },
  observability: {
    runbookBaseUrl: 'https://git.tiny.test/platform/-/blob/main',
    exporters: {
      'kube-state-metrics': { description: 'Object state.', prefixes: ['kube_'] },
      'kafka-exporter': { description: 'Consumer lag.', component: 'kafka', metrics: ['kafka_brokers'], prefixes: ['kafka_consumergroup_'] },
    },
    alerts: { consumerLag: 5000, serviceErrorPercent: 2 },
  },
};
