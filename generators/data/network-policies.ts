// The datastores' side of the network, one NetworkPolicy per datastore in its namespace (default deny is on
// there): its own pods reach each other (replication, Sentinel, cluster traffic, the charts' hook Jobs); its
// client services reach its port; the migration Job reaches the database; the CloudNativePG operator reaches
// the instance manager's status port; Prometheus reaches the metrics port. Egress: its own pods, the
// Kubernetes API where the datastore's pods use it, the object store its backups go to.
import type { NetworkPolicy, NetworkPolicyEgressRule, NetworkPolicyIngressRule } from 'kubernetes-types/networking/v1.js';
import type { LoadedDatastore, LoadedModel } from '../../model/loaded.ts';
import { API_SERVER_PORTS, LABEL_INSTANCE, LABEL_NAME } from '../core/kubernetes.ts';
import { platformLabels, selectorLabels } from '../core/labels.ts';
import { serviceNamed } from '../core/lookup.ts';
import { namespacePeer, tcpPorts } from '../core/network-policy.ts';
import { typedObject } from '../core/typed-object.ts';
import type { Generator, KubeObject, OutputFile } from '../core/types.ts';
import { CNPG_CLUSTER_LABEL, DATASTORES_COMPONENT } from './cluster.ts';
import { migrationsName } from './migrations.ts';

/** CloudNativePG's instance manager: the status port the operator polls, and the PostgreSQL exporter. */
export const CNPG_STATUS_PORT = 8000;
export const CNPG_METRICS_PORT = 9187;
/** redis_exporter beside each Redis server (the chart's `metrics`). */
export const REDIS_EXPORTER_PORT = 9121;

/** Labels naming a datastore's release or cluster: every pod of it carries them (servers and hook Jobs alike). */
const RELEASE_LABELS = [CNPG_CLUSTER_LABEL, LABEL_INSTANCE, 'release'];

/** The part of the model's pod selector that names the whole release (the full selector when none does). */
export function releaseSelector(store: LoadedDatastore): Record<string, string> {
  const picked = Object.entries(store.podSelector).filter(([k]) => RELEASE_LABELS.includes(k));
  return picked.length > 0 ? Object.fromEntries(picked) : { ...store.podSelector };
}

/** Where Prometheus scrapes a datastore: the exporter's port or the server's own port. */
export function metricsPort(store: LoadedDatastore): number | null {
  switch (store.engine) {
    case 'postgresql':
      return CNPG_METRICS_PORT;
    case 'redis':
      return REDIS_EXPORTER_PORT;
    case 'qdrant':
    case 'minio':
      return store.port;
    default:
      return null;
  }
}

/** Datastore pods that call the Kubernetes API: CloudNativePG's instance manager, Redis Sentinel's master Service updater. */
function usesApiServer(store: LoadedDatastore): boolean {
  return store.cluster !== null || (store.engine === 'redis' && store.instances > 1);
}

function objectStorePort(endpointURL: string): number {
  const url = new URL(endpointURL);
  return url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443;
}

export function datastorePolicy(model: LoadedModel, store: LoadedDatastore): KubeObject {
  const own = releaseSelector(store);
  const ingress: NetworkPolicyIngressRule[] = [{ from: [{ podSelector: { matchLabels: own } }] }];
  for (const client of store.clients) {
    ingress.push({ from: [namespacePeer(client.namespace, selectorLabels(serviceNamed(model, client.service)))], ports: tcpPorts([store.port]) });
  }
  const egress: NetworkPolicyEgressRule[] = [{ to: [{ podSelector: { matchLabels: own } }] }];
  if (store.cluster) {
    const c = store.cluster;
    ingress.push({ from: [namespacePeer(c.owner.namespace, { [LABEL_NAME]: migrationsName(store) })], ports: tcpPorts([store.port]) });
    ingress.push({ from: [namespacePeer(c.operator.namespace, c.operator.podSelector)], ports: tcpPorts([CNPG_STATUS_PORT]) });
    egress.push({ ports: tcpPorts([objectStorePort(c.backup.endpointURL)]) });
  }
  const metrics = metricsPort(store);
  if (metrics !== null) ingress.push({ from: [namespacePeer(model.platform.monitoring.namespace, model.platform.monitoring.podSelector)], ports: tcpPorts([metrics]) });
  if (usesApiServer(store)) egress.push({ ports: tcpPorts(API_SERVER_PORTS) });
  return typedObject<NetworkPolicy>({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: store.name, namespace: store.namespace, labels: platformLabels(model, DATASTORES_COMPONENT) },
    spec: { podSelector: { matchLabels: own }, policyTypes: ['Ingress', 'Egress'], ingress, egress },
  });
}

export const datastoreNetworkPolicies: Generator = ({ model }) =>
  model.datastores.map((store): OutputFile => ({
    path: `platform/${DATASTORES_COMPONENT}/${store.name}/networkpolicy-${store.name}.yaml`,
    source: store.modelPath,
    object: datastorePolicy(model, store),
  }));
