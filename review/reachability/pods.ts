// The pods of an environment, from its rendered objects alone: pod templates of workloads, the pods operators
// create from rendered custom resources (Strimzi's brokers, CloudNativePG's instances), the pods of chart
// Applications (by each chart's own labelling), kube-dns, and one "any other pod" per namespace that stands
// for every pod no object names (what a rule open to anyone would admit).
import type { Doc } from '../../policy-tests/lib/documents.ts';
import { type Obj, podOf } from '../../policy-tests/lib/workloads.ts';
import { platform } from '../../model/platform.ts';
import { ISTIO_INJECTION_LABEL } from '../../policy-tests/rules/platform/strict-mtls.ts';
import { PROMETHEUS_SERVICE_ACCOUNT } from '../../model/platform-components.ts';

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
const TENANT_LABEL = 'gamemetrics.dev/tenant';
const SIDECAR_LABEL = 'sidecar.istio.io/inject';
/** The id suffix of a namespace's stand-in for every unnamed pod. */
export const OTHER_PODS = '*';

export interface Pod {
  /** `<namespace>/<name>`; `<namespace>/*` for the stand-in. */
  id: string;
  namespace: string;
  labels: Record<string, string>;
  /** Its ServiceAccount, or null where the chart's naming is not known (no principal can name it). */
  serviceAccount: string | null;
  /** Runs with an Istio identity (a sidecar, or a gateway). */
  meshed: boolean;
  /** Its sidecar enforces the mesh's inbound policy (its namespace is enrolled for injection). */
  enforcesInbound: boolean;
  /** A tenant's workload (its namespace carries the tenant label). */
  tenant: boolean;
}

export interface Cluster {
  pods: Pod[];
  /** Labels of every namespace, including `kubernetes.io/metadata.name`. */
  namespaceLabels: Map<string, Record<string, string>>;
}

const ALWAYS_THERE = ['default', 'kube-system'];

export function clusterOf(docs: readonly Doc[]): Cluster {
  const namespaceLabels = new Map<string, Record<string, string>>();
  for (const ns of ALWAYS_THERE) namespaceLabels.set(ns, { [NAMESPACE_NAME_LABEL]: ns });
  for (const d of docs) {
    if (d.data.kind !== 'Namespace') continue;
    const name = String(d.data.metadata?.name);
    namespaceLabels.set(name, { ...(d.data.metadata?.labels ?? {}), [NAMESPACE_NAME_LABEL]: name });
  }
  const nsLabels = (ns: string) => namespaceLabels.get(ns) ?? { [NAMESPACE_NAME_LABEL]: ns };
  const pods = new Map<string, Pod>();
  const add = (namespace: string, name: string, labels: Record<string, string>, serviceAccount: string | null, forceMeshed = false) => {
    const ns = nsLabels(namespace);
    const enrolled = ns[ISTIO_INJECTION_LABEL] === 'enabled';
    const meshed = forceMeshed || enrolled || labels[SIDECAR_LABEL] === 'true';
    pods.set(`${namespace}/${name}`, { id: `${namespace}/${name}`, namespace, labels, serviceAccount, meshed, enforcesInbound: enrolled, tenant: TENANT_LABEL in ns });
  };

  for (const d of docs) {
    const data = d.data as Obj;
    const ns: string = data.metadata?.namespace ?? 'default';
    const name = String(data.metadata?.name);
    const pod = podOf(d);
    if (pod) {
      add(ns, name, { ...(pod.meta?.labels ?? {}) }, pod.spec.serviceAccountName ?? 'default');
      continue;
    }
    if (data.kind === 'Kafka' && String(data.apiVersion).startsWith('kafka.strimzi.io/')) {
      add(ns, `${name}-kafka`, { 'strimzi.io/cluster': name, 'strimzi.io/kind': 'Kafka', 'strimzi.io/name': `${name}-kafka`, 'strimzi.io/broker-role': 'true' }, `${name}-kafka`);
    } else if (data.kind === 'Cluster' && String(data.apiVersion).startsWith('postgresql.cnpg.io/')) {
      add(ns, name, { 'cnpg.io/cluster': name, 'cnpg.io/podRole': 'instance' }, name);
    } else if (data.kind === 'Application' && data.spec?.source?.chart) {
      chartPods(data, add);
    }
  }
  // Where no kube-prometheus-stack Application is rendered yet: Prometheus where the platform says it runs.
  if (![...pods.values()].some((p) => p.serviceAccount === PROMETHEUS_SERVICE_ACCOUNT)) {
    add(platform.monitoring.namespace, 'prometheus', { ...platform.monitoring.podSelector, [SIDECAR_LABEL]: 'true' }, PROMETHEUS_SERVICE_ACCOUNT, true);
  }
  add('kube-system', 'kube-dns', { 'k8s-app': 'kube-dns' }, 'coredns');
  for (const ns of namespaceLabels.keys()) add(ns, OTHER_PODS, {}, 'default');
  return { pods: [...pods.values()].sort((a, b) => (a.id < b.id ? -1 : 1)), namespaceLabels };
}

type Add = (namespace: string, name: string, labels: Record<string, string>, serviceAccount: string | null, forceMeshed?: boolean) => void;

/** The pods a chart Application runs, by the chart's own labelling. */
function chartPods(app: Obj, add: Add): void {
  const source = app.spec.source;
  const namespace: string = app.spec.destination?.namespace ?? 'default';
  const release: string = source.helm?.releaseName ?? app.metadata.name;
  const values: Obj = source.helm?.valuesObject ?? {};
  switch (source.chart) {
    case 'gateway':
      // Istio's gateway chart: pods labelled with `labels`, ServiceAccount named after the release; Envoy has a mesh identity.
      add(namespace, release, { ...(values.labels ?? {}) }, release, true);
      break;
    case 'kube-prometheus-stack':
      // Prometheus gets the mesh identity of its ServiceAccount through an injected sidecar that only writes certificates.
      add(namespace, 'prometheus', { 'app.kubernetes.io/name': 'prometheus', [SIDECAR_LABEL]: 'true' }, `${release}-prometheus`, true);
      break;
    case 'minio':
      // MinIO's chart (charts.min.io) labels its pods app and release.
      add(namespace, release, { app: 'minio', release }, null);
      break;
    default:
      add(namespace, release, { 'app.kubernetes.io/instance': release, 'app.kubernetes.io/name': source.chart }, null);
  }
}
