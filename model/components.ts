/**
 * Platform components: each is one Argo CD Application in the `platform` project. Waves order the sync:
 * -3 namespaces, guardrails and cluster-wide classes; -2 operators (charts that install CRDs, listed in
 * `crdGroups`, the monitoring stack among them); -1 what uses those CRDs (Kafka, policies, issuers, backups,
 * the monitors, Loki, Tempo, the collector, Thanos) and istiod; 0 the ingress
 * gateway (its pods are injected by istiod) and the tenants. Chart versions are exact; each comment
 * names the chart repository the version was checked against.
 */
import { ACCESS_COMPONENT, ALERT_RULES_COMPONENT, ARGO_ROLLOUTS_COMPONENT, BACKUPS_COMPONENT, CLUSTER_ISSUERS_COMPONENT, INGRESS_CLASS_COMPONENT, INGRESS_GATEWAY_COMPONENT, ISTIO_CNI_COMPONENT, ISTIOD_COMPONENT, LOKI_COMPONENT, MESH_COMPONENT, MIRROR_REGISTRY, MONITORING_CRD_GROUP, MONITORING_STACK_COMPONENT, OBSERVABILITY_COMPONENT, OTEL_COLLECTOR_COMPONENT, LOG_COLLECTOR_COMPONENT, PROMETHEUS_ADAPTER_COMPONENT, SLO_RULES_COMPONENT, STORAGE_CLASSES_COMPONENT, TEMPO_COMPONENT, THANOS_COMPONENT, VELERO_COMPONENT } from './platform-components.ts';
import type { ComponentSpec } from './spec.ts';

/** Pod and container security contexts that meet the restricted Pod Security Standard. */
const restrictedPod = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
const restrictedContainer = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };
const ISTIO_CHARTS = 'https://istio-release.storage.googleapis.com/charts';
/** One Istio release for base, istiod and the gateway: they are upgraded together. */
const ISTIO_VERSION = '1.28.0';
const istioPodSecurity = {
  level: 'baseline',
  reason: "Istio's pods take their security context from Istio's charts and injection templates, which do not set the seccomp profile restricted requires; baseline still forbids privileged containers, host namespaces and added capabilities.",
} as const;

/** https://open-telemetry.github.io/opentelemetry-helm-charts (chart opentelemetry-collector 0.170.0, collector 0.158.0): the OTLP collector and the log agent. */
const OTEL_COLLECTOR_CHART = { repoURL: 'https://open-telemetry.github.io/opentelemetry-helm-charts', name: 'opentelemetry-collector', version: '0.170.0' };
/** The collector distribution for Kubernetes (OTLP, filelog, k8sattributes, batch, memory limiter). */
const OTEL_COLLECTOR_IMAGE = { repository: 'otel/opentelemetry-collector-k8s' };
/** The chart's Jaeger and Zipkin receiver ports, unused here. */
const OTEL_LEGACY_PORTS_OFF = { 'jaeger-compact': { enabled: false }, 'jaeger-thrift': { enabled: false }, 'jaeger-grpc': { enabled: false }, zipkin: { enabled: false } };

const operatorClusterResources = [
  { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' },
  { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' },
];

export const components = {
  namespaces: {
    description: 'Every namespace with its Pod Security labels, quota, limits and default-deny network policy.',
    namespace: 'kube-system',
    wave: -3,
    clusterResources: [{ group: '', kind: 'Namespace' }],
  },
  [STORAGE_CLASSES_COMPONENT]: {
    description: 'The StorageClasses of model/storage-classes.ts (EBS CSI, encrypted, expandable).',
    namespace: 'kube-system',
    wave: -3,
    clusterResources: [{ group: 'storage.k8s.io', kind: 'StorageClass' }],
  },
  [INGRESS_CLASS_COMPONENT]: {
    description: "The IngressClass the services' Ingresses name, served by the Istio ingress gateway.",
    namespace: 'kube-system',
    wave: -3,
    clusterResources: [{ group: 'networking.k8s.io', kind: 'IngressClass' }],
  },
  'strimzi-operator': {
    description: 'Strimzi cluster operator: runs Kafka, topics and users from kafka.strimzi.io/v1 resources.',
    namespace: 'strimzi',
    wave: -2,
    chart: {
      repoURL: 'https://strimzi.io/charts/',
      name: 'strimzi-kafka-operator',
      version: '1.0.0',
      values: {
        watchAnyNamespace: true,
        // The operator's pods and the Kafka pods it creates run in namespaces that enforce the restricted Pod Security Standard.
        extraEnvs: [{ name: 'STRIMZI_POD_SECURITY_PROVIDER_CLASS', value: 'restricted' }],
      },
    },
    clusterResources: operatorClusterResources,
    network: { apiServer: true, ingressPorts: [8080] },
    crdGroups: ['core.strimzi.io', 'kafka.strimzi.io'],
    metrics: { podSelector: { 'strimzi.io/kind': 'cluster-operator' }, port: 8080 },
  },
  kafka: {
    description: 'The platform Kafka cluster (Strimzi, KRaft): node pools, topics, metrics, exporter and, where set, MirrorMaker 2 to the DR cluster.',
    namespace: 'kafka',
    wave: -1,
    // The entity operator (topic and user operators) talks to the Kubernetes API.
    network: { apiServer: true },
  },
  datastores: {
    description: 'The platform datastores run by operators: the TimescaleDB CloudNativePG Cluster with its backups, monitoring and database roles (Redis, Qdrant and MinIO are chart Applications of their own).',
    namespace: 'data',
    wave: -1,
  },
  kyverno: {
    description: 'Kyverno admission controller: enforces the policy catalog in the cluster.',
    namespace: 'kyverno',
    wave: -2,
    chart: {
      repoURL: 'https://kyverno.github.io/kyverno/',
      name: 'kyverno',
      version: '3.5.2',
      values: {
        // The background controller keeps the Kafka cluster CA Secret in sync in client namespaces (generators/kafka/ca-trust.ts).
        backgroundController: {
          rbac: { clusterRole: { extraResources: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch', 'create', 'update', 'delete'] }] } },
        },
      },
    },
    clusterResources: operatorClusterResources,
    network: { apiServer: true, ingressPorts: [9443, 8000] },
    crdGroups: ['kyverno.io', 'policies.kyverno.io', 'reports.kyverno.io', 'wgpolicyk8s.io'],
    metrics: { podSelector: { 'app.kubernetes.io/part-of': 'kyverno' }, port: 8000 },
  },
  policies: {
    description: 'Kyverno ClusterPolicies rendered from the policy catalog, so admission enforces what CI checks, and the Kafka CA copied to client namespaces.',
    namespace: 'kyverno',
    wave: -1,
    clusterResources: [{ group: 'kyverno.io', kind: 'ClusterPolicy' }],
  },
  'external-secrets': {
    description: 'External Secrets Operator: materialises service credentials from the secret store.',
    namespace: 'external-secrets',
    wave: -2,
    chart: { repoURL: 'https://charts.external-secrets.io', name: 'external-secrets', version: '0.20.4' },
    clusterResources: operatorClusterResources,
    network: { apiServer: true, ingressPorts: [10250, 8080] },
    crdGroups: ['external-secrets.io', 'generators.external-secrets.io'],
    metrics: { podSelector: { 'app.kubernetes.io/name': 'external-secrets' }, port: 8080 },
  },
  'cert-manager': {
    description: 'cert-manager: TLS certificates for the Ingresses from the ClusterIssuers of model/cluster-issuers.ts.',
    namespace: 'cert-manager',
    wave: -2,
    // https://charts.jetstack.io (chart versions carry the v of the release tag); crds.enabled installs the CRDs with the chart.
    chart: { repoURL: 'https://charts.jetstack.io', name: 'cert-manager', version: 'v1.18.2', values: { crds: { enabled: true } } },
    clusterResources: operatorClusterResources,
    // Webhook and metrics in; ACME API (443) and the HTTP-01 self-check through the gateway (80) out.
    network: { apiServer: true, ingressPorts: [10250, 9402], egressPorts: [80, 443] },
    crdGroups: ['acme.cert-manager.io', 'cert-manager.io'],
    metrics: { podSelector: { 'app.kubernetes.io/name': 'cert-manager' }, port: 9402 },
  },
  [CLUSTER_ISSUERS_COMPONENT]: {
    description: 'The ClusterIssuers of model/cluster-issuers.ts; their ACME account keys live in the cert-manager namespace.',
    namespace: 'cert-manager',
    wave: -1,
    clusterResources: [{ group: 'cert-manager.io', kind: 'ClusterIssuer' }],
  },
  'cloudnative-pg': {
    description: 'CloudNativePG operator: runs PostgreSQL clusters, their backups and scheduled backups from postgresql.cnpg.io resources.',
    namespace: 'cnpg-system',
    wave: -2,
    // https://cloudnative-pg.github.io/charts (chart cloudnative-pg 0.26.1 ships operator 1.27.1).
    chart: { repoURL: 'https://cloudnative-pg.github.io/charts', name: 'cloudnative-pg', version: '0.26.1', values: { crds: { create: true } } },
    clusterResources: operatorClusterResources,
    // Webhook and metrics in; the instance manager's status endpoint on the PostgreSQL pods (8000) out.
    network: { apiServer: true, ingressPorts: [9443, 8080], egressPorts: [8000] },
    crdGroups: ['postgresql.cnpg.io'],
    metrics: { podSelector: { 'app.kubernetes.io/name': 'cloudnative-pg' }, port: 8080 },
  },
  [VELERO_COMPONENT]: {
    description: 'Velero: scheduled backups of the cluster objects and EBS snapshots of their volumes to S3 (bucket, schedules and IAM role from the environment).',
    namespace: 'velero',
    wave: -2,
    // https://vmware-tanzu.github.io/helm-charts (tag velero-12.1.0 of vmware-tanzu/helm-charts, Velero 1.18.1).
    chart: {
      repoURL: 'https://vmware-tanzu.github.io/helm-charts',
      name: 'velero',
      version: '12.1.0',
      values: {
        // Argo CD applies the chart's crds/ folder on every sync; the CRD upgrade hook Job (kubectl with cluster-admin) is not needed.
        upgradeCRDs: false,
        // The BackupStorageLocation and Schedules are rendered from the model (component `backups`).
        backupsEnabled: false,
        // Credentials come from IAM through the service account (IRSA), never from a Secret.
        credentials: { useSecret: false },
        // Plugin version from the chart's own values for this release.
        initContainers: [{
          name: 'velero-plugin-for-aws',
          image: 'velero/velero-plugin-for-aws:v1.13.1',
          imagePullPolicy: 'IfNotPresent',
          volumeMounts: [{ mountPath: '/target', name: 'plugins' }],
          securityContext: restrictedContainer,
        }],
        // Velero's image runs as the distroless nonroot user; fsGroup lets it read the projected IRSA token.
        podSecurityContext: { ...restrictedPod, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532 },
        containerSecurityContext: restrictedContainer,
      },
    },
    clusterResources: [...operatorClusterResources],
    // Metrics in; S3 and EC2 (snapshots) APIs out.
    network: { apiServer: true, ingressPorts: [8085], egressPorts: [443] },
    crdGroups: ['velero.io'],
    metrics: { podSelector: { 'app.kubernetes.io/name': 'velero' }, port: 8085 },
  },
  [BACKUPS_COMPONENT]: {
    description: 'Velero BackupStorageLocation (a cross-region replicated bucket) and Schedules from the environment.',
    namespace: 'velero',
    wave: -1,
  },
  'istio-base': {
    description: "Istio's CRDs and the cluster-wide validation webhook.",
    namespace: 'istio-system',
    wave: -2,
    // https://istio-release.storage.googleapis.com/charts (charts base, istiod and gateway share the Istio release version).
    chart: { repoURL: ISTIO_CHARTS, name: 'base', version: ISTIO_VERSION },
    clusterResources: operatorClusterResources,
    crdGroups: ['extensions.istio.io', 'networking.istio.io', 'security.istio.io', 'telemetry.istio.io'],
    podSecurity: istioPodSecurity,
  },
  [ISTIOD_COMPONENT]: {
    description: "istiod: Istio's control plane; serves the `istio` IngressClass through the ingress gateway (mesh settings from the model).",
    namespace: 'istio-system',
    wave: -1,
    chart: {
      repoURL: ISTIO_CHARTS,
      name: 'istiod',
      version: ISTIO_VERSION,
      values: {
        // The sidecar (and the CNI validation container) injected into tenant pods is pulled from the mirror, an approved registry.
        global: { hub: `${MIRROR_REGISTRY}/istio` },
        pilot: {
          // Injected pods get no istio-init container (NET_ADMIN, NET_RAW, root): the CNI node agent sets up their
          // redirection, so the sidecar fits the restricted Pod Security Standard of the tenant namespaces.
          cni: { enabled: true },
          // The sidecar runs as a native sidecar (an init container that keeps running): Jobs and CronJobs complete.
          env: { ENABLE_NATIVE_SIDECARS: 'true' },
        },
      },
    },
    clusterResources: operatorClusterResources,
    // xDS (15010 plaintext, 15012 TLS), monitoring (15014) and the injection/validation webhook (15017).
    network: { apiServer: true, ingressPorts: [15010, 15012, 15014, 15017] },
    podSecurity: istioPodSecurity,
    metrics: { podSelector: { app: 'istiod' }, port: 15014 },
  },
  [INGRESS_GATEWAY_COMPONENT]: {
    description: 'The Istio ingress gateway: an Envoy deployment behind a LoadBalancer Service that serves every Ingress of the `istio` class.',
    namespace: 'istio-ingress',
    wave: 0,
    chart: { repoURL: ISTIO_CHARTS, name: 'gateway', version: ISTIO_VERSION },
    // HTTP and HTTPS from the load balancer, readiness (15021) and Envoy metrics (15090) in; istiod's xDS out
    // (egress to the services it routes to is derived from the services with an ingress).
    network: { ingressPorts: [80, 443, 15021, 15090], egressPorts: [15012] },
    podSecurity: istioPodSecurity,
  },
  [ARGO_ROLLOUTS_COMPONENT]: {
    description: "Argo Rollouts controller: canary and blue-green Rollouts of the services with `delivery`, gated by AnalysisRuns that query Prometheus for the services' SLIs.",
    namespace: 'argo-rollouts',
    wave: -2,
    // https://argoproj.github.io/argo-helm (chart argo-rollouts 2.40.1); the chart installs the CRDs, the dashboard stays off.
    chart: { repoURL: 'https://argoproj.github.io/argo-helm', name: 'argo-rollouts', version: '2.40.1', values: { installCRDs: true, dashboard: { enabled: false } } },
    clusterResources: operatorClusterResources,
    // Metrics (8090) and health (8080) in; the analysis queries to Prometheus (9090) out.
    network: { apiServer: true, ingressPorts: [8080, 8090], egressPorts: [9090] },
    crdGroups: ['argoproj.io'],
  },
  [SLO_RULES_COMPONENT]: {
    description: 'SLO recording rules and multiwindow multi-burn-rate alerts (PrometheusRule), rendered from every service SLO (docs/slos.md).',
    namespace: 'monitoring',
    wave: -1,
  },
  [ISTIO_CNI_COMPONENT]: {
    description: "Istio's CNI node agent: redirects injected pods' traffic to their sidecar when the pod's network is set up, so no injected pod needs NET_ADMIN.",
    // kube-system, like the node's other network agents: the agent is a privileged DaemonSet with host paths, which
    // no managed namespace admits (they enforce restricted or baseline).
    namespace: 'kube-system',
    wave: -2,
    chart: { repoURL: ISTIO_CHARTS, name: 'cni', version: ISTIO_VERSION },
    clusterResources: operatorClusterResources,
  },
  [MESH_COMPONENT]: {
    description: 'Istio PeerAuthentications (mTLS mode from the environment) and AuthorizationPolicies (default deny, then the declared callers, the ingress gateway and Prometheus) in every enrolled namespace.',
    namespace: 'istio-system',
    wave: -1,
  },
  [ACCESS_COMPONENT]: {
    description: "Human access: RoleBindings of each tenant's owners (SSO groups) in its namespaces, and the platform administrators' ClusterRoleBinding.",
    namespace: 'kube-system',
    wave: -3,
    clusterResources: [{ group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' }],
  },
  [ALERT_RULES_COMPONENT]: {
    description: 'The platform alert catalog as PrometheusRules (generators/observability/alerts/), each alert with its runbook in docs/runbooks/.',
    namespace: 'monitoring',
    wave: -1,
  },
  'vertical-pod-autoscaler': {
    description: "Vertical Pod Autoscaler, recommender only: every workload's VerticalPodAutoscaler (updateMode Off) gets CPU and memory recommendations, nothing is evicted or rewritten.",
    namespace: 'vpa',
    wave: -2,
    // https://charts.fairwinds.com/stable (chart vpa); the updater and admission controller stay off: recommendations only.
    chart: {
      repoURL: 'https://charts.fairwinds.com/stable',
      name: 'vpa',
      version: '4.10.1',
      values: { recommender: { enabled: true }, updater: { enabled: false }, admissionController: { enabled: false }, 'metrics-server': { enabled: false } },
    },
    clusterResources: operatorClusterResources,
    // Metrics in (8942); the metrics API is reached through the API server.
    network: { apiServer: true, ingressPorts: [8942] },
    crdGroups: ['autoscaling.k8s.io'],
  },
  'chaos-mesh': {
    description: 'Chaos Mesh: controller manager and chaos daemons that inject the experiments of model/chaos.ts (only where the environment declares chaos).',
    namespace: 'chaos-mesh',
    wave: -2,
    // https://charts.chaos-mesh.org (chart chaos-mesh 2.8.2 = Chaos Mesh 2.8.2). EKS nodes run containerd; no dashboard.
    chart: {
      repoURL: 'https://charts.chaos-mesh.org',
      name: 'chaos-mesh',
      version: '2.8.2',
      values: { chaosDaemon: { runtime: 'containerd', socketPath: '/run/containerd/containerd.sock' }, dashboard: { create: false } },
    },
    clusterResources: operatorClusterResources,
    // Webhook (10250) and the controller's and daemons' gRPC and metrics (31767, 31766, 10080) in.
    network: { apiServer: true, ingressPorts: [10250, 10080, 31766, 31767], egressPorts: [31767] },
    crdGroups: ['chaos-mesh.org'],
    podSecurity: {
      level: 'privileged',
      reason: "Chaos Mesh's daemon enters other pods' network, PID and mount namespaces on each node to inject faults: it needs privileged containers and host paths. Only where the environment declares chaos.",
    },
    installWhen: 'chaos',
  },
  'chaos-experiments': {
    description: 'The weekly Chaos Mesh Schedules of model/chaos.ts, each scoped by label to one service in its namespace.',
    namespace: 'chaos-mesh',
    wave: -1,
    installWhen: 'chaos',
  },
  secrets: {
    description: 'Where Secrets come from (generators/secrets/): the AWS Secrets Manager ClusterSecretStore, ExternalSecrets and password generators, and the copies of datastore credentials into their consumers\' namespaces.',
    namespace: 'external-secrets',
    wave: -1,
    clusterResources: [{ group: 'external-secrets.io', kind: 'ClusterSecretStore' }, { group: 'kyverno.io', kind: 'ClusterPolicy' }],
  },
  // Observability (docs/observability.md). Values derived from the model and the environment's `monitoring`
  // are merged in by generators/observability/stack/values.ts.
  [MONITORING_STACK_COMPONENT]: {
    description: 'kube-prometheus-stack: the Prometheus operator and its CRDs, Prometheus, Alertmanager (routes from model/monitoring.ts), Grafana and kube-state-metrics, sized by the environment.',
    namespace: 'monitoring',
    wave: -2,
    // https://prometheus-community.github.io/helm-charts (chart 88.5.3: operator v0.93.1, Grafana chart 12.11.1, kube-state-metrics 8.4.0).
    chart: {
      repoURL: 'https://prometheus-community.github.io/helm-charts',
      name: 'kube-prometheus-stack',
      version: '88.5.3',
      values: {
        crds: { enabled: true },
        // The platform's alert catalog and SLO rules are the model's (PrometheusRules with the release label); node-exporter is its own component.
        defaultRules: { create: false },
        nodeExporter: { enabled: false },
        grafana: { defaultDashboardsEnabled: true, persistence: { enabled: false } },
      },
    },
    clusterResources: operatorClusterResources,
    // Prometheus 9090, Alertmanager 9093 (and 9094 cluster gossip), Grafana 3000, the operator's webhook and metrics 10250,
    // kube-state-metrics 8080, the Thanos sidecar 10901/10902. Out: PagerDuty, Opsgenie, Slack and S3 over HTTPS.
    network: { apiServer: true, ingressPorts: [9090, 9093, 9094, 3000, 10250, 8080, 10901, 10902], egressPorts: [443] },
    crdGroups: [MONITORING_CRD_GROUP],
  },
  [PROMETHEUS_ADAPTER_COMPONENT]: {
    description: "Prometheus Adapter: serves the custom metrics API (custom.metrics.k8s.io) from Prometheus, with rules rendered for the services that autoscale on requests per second (`autoscale.requestsPerSecond`).",
    namespace: 'monitoring',
    // After the monitoring stack (its Prometheus answers the adapter's queries), before the tenants' HPAs.
    wave: -1,
    // https://prometheus-community.github.io/helm-charts (chart prometheus-adapter 5.3.0, adapter v0.12.0; the same
    // repository state as kube-prometheus-stack 88.5.3). Its default rules are off: only the rendered ones
    // (generators/platform/prometheus-adapter.ts), so no resource-metrics API competes with metrics-server.
    chart: { repoURL: 'https://prometheus-community.github.io/helm-charts', name: 'prometheus-adapter', version: '5.3.0', values: { rules: { default: false } } },
    // The ClusterRoles and bindings of the API it serves, and the APIService that registers it with the API server.
    clusterResources: [
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
      { group: 'apiregistration.k8s.io', kind: 'APIService' },
    ],
    // The API server calls it on 6443 (the chart's listenPort); it reaches Prometheus inside the monitoring namespace.
    network: { apiServer: true, ingressPorts: [6443] },
  },
  'node-exporter': {
    description: 'prometheus-node-exporter: CPU, memory, disk and network of every node, as a DaemonSet with its ServiceMonitor.',
    namespace: 'node-exporter',
    wave: -1,
    // https://prometheus-community.github.io/helm-charts (the version kube-prometheus-stack 88.5.3 depends on).
    chart: {
      repoURL: 'https://prometheus-community.github.io/helm-charts',
      name: 'prometheus-node-exporter',
      version: '4.56.1',
      values: { prometheus: { monitor: { enabled: true, additionalLabels: { release: MONITORING_STACK_COMPONENT } } } },
    },
    clusterResources: [{ group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' }, { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' }],
    network: { ingressPorts: [9100] },
    podSecurity: {
      level: 'privileged',
      reason: "node-exporter reads the node's own metrics through hostNetwork, hostPID and read-only hostPath mounts of /, /proc and /sys, which baseline forbids; its namespace holds nothing else.",
    },
  },
  [LOKI_COMPONENT]: {
    description: 'Loki (simple scalable): logs on the environment\'s S3 bucket, expired after its retention; OTLP logs from the collector.',
    namespace: 'monitoring',
    wave: -1,
    // https://grafana.github.io/helm-charts (chart loki 7.3.0, Loki 3.6.12; chart source in grafana/loki production/helm/loki).
    chart: {
      repoURL: 'https://grafana.github.io/helm-charts',
      name: 'loki',
      version: '7.3.0',
      values: {
        deploymentMode: 'SimpleScalable',
        // The canary and its Helm test are for trying the chart out; memcached caches are left to a sized follow-up.
        lokiCanary: { enabled: false },
        test: { enabled: false },
        chunksCache: { enabled: false },
        resultsCache: { enabled: false },
      },
    },
    // Gateway 8080, HTTP 3100, gRPC 9095, memberlist 7946.
    network: { apiServer: false, ingressPorts: [8080, 3100, 9095, 7946], egressPorts: [443] },
  },
  [TEMPO_COMPONENT]: {
    description: 'Tempo (distributed): traces from the collector over OTLP, on the environment\'s S3 bucket, expired after its retention.',
    namespace: 'monitoring',
    wave: -1,
    // https://grafana.github.io/helm-charts (chart tempo-distributed 1.61.3, Tempo 2.9.0).
    chart: { repoURL: 'https://grafana.github.io/helm-charts', name: 'tempo-distributed', version: '1.61.3' },
    // HTTP 3200, gRPC 9095, OTLP 4317/4318, memberlist 7946.
    network: { ingressPorts: [3200, 9095, 4317, 4318, 7946], egressPorts: [443] },
  },
  [OTEL_COLLECTOR_COMPONENT]: {
    description: 'OpenTelemetry Collector: receives the services\' OTLP traces and logs and forwards them to Tempo and Loki.',
    namespace: 'monitoring',
    wave: -1,
    chart: {
      ...OTEL_COLLECTOR_CHART,
      values: {
        mode: 'deployment',
        fullnameOverride: OTEL_COLLECTOR_COMPONENT,
        image: OTEL_COLLECTOR_IMAGE,
        ports: { ...OTEL_LEGACY_PORTS_OFF, metrics: { enabled: true } },
      },
    },
    // OTLP gRPC 4317 and HTTP 4318 from the services, metrics 8888.
    network: { ingressPorts: [4317, 4318, 8888] },
  },
  [LOG_COLLECTOR_COMPONENT]: {
    description: 'The log agent: an OpenTelemetry Collector DaemonSet that tails every pod\'s log files on each node, labels the lines with their pod, namespace and workload, and ships them to Loki over OTLP.',
    namespace: 'log-collector',
    wave: -1,
    // The otel-collector component's chart and collector; the logsCollection preset adds the filelog receiver
    // and the read-only hostPath mounts, kubernetesAttributes the k8sattributes processor and its ClusterRole.
    chart: {
      ...OTEL_COLLECTOR_CHART,
      values: {
        mode: 'daemonset',
        fullnameOverride: LOG_COLLECTOR_COMPONENT,
        image: OTEL_COLLECTOR_IMAGE,
        presets: {
          // Its own lines are left out (no loop); checkpoints on the node keep the read positions across restarts.
          logsCollection: { enabled: true, includeCollectorLogs: false, storeCheckpoints: true },
          kubernetesAttributes: { enabled: true },
        },
        // An agent that only reads files: no receiver ports, no Service.
        ports: { otlp: { enabled: false }, 'otlp-http': { enabled: false }, ...OTEL_LEGACY_PORTS_OFF, metrics: { enabled: true } },
        service: { enabled: false },
        // Every node, tainted ones included: a node whose logs nobody ships is a blind spot.
        tolerations: [{ operator: 'Exists' }],
      },
    },
    clusterResources: [{ group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' }, { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' }],
    // Out: Loki's gateway (pod port 8080) and the API server (k8sattributes watches pods). In: nothing.
    network: { apiServer: true, egressPorts: [8080] },
    podSecurity: {
      level: 'privileged',
      reason: "The log agent reads the node's container log files and keeps its read positions through hostPath mounts (/var/log/pods, /var/lib/otelcol), which baseline forbids; its namespace holds nothing else.",
    },
  },
  [THANOS_COMPONENT]: {
    description: 'Thanos query, query frontend, store gateway and compactor over the metrics bucket the Prometheus sidecars upload to (where the environment declares monitoring.thanos).',
    namespace: 'monitoring',
    wave: -1,
    installWhen: 'monitoring.thanos',
    // registry-1.docker.io/bitnamicharts (chart thanos 17.6.0, Thanos 0.39.2).
    chart: { repoURL: 'registry-1.docker.io/bitnamicharts', name: 'thanos', version: '17.6.0' },
    // Query and store gateway HTTP 10902 and gRPC 10901, query frontend 9090.
    network: { ingressPorts: [9090, 10901, 10902], egressPorts: [443] },
  },
  [OBSERVABILITY_COMPONENT]: {
    description: "Rendered from the model: ServiceMonitors and PodMonitors of the services, Kafka, the datastores and the operators, Grafana's dashboards, the stack's object-store credentials and network access.",
    namespace: 'monitoring',
    wave: -1,
  },
} satisfies Record<string, ComponentSpec>;
