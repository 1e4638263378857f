// NetworkPolicies the Kafka cluster needs on top of the namespaces' default deny
// (namespace-guardrails.ts). Strimzi itself generates the ingress policy of the broker pods
// (listener peers are set on the Kafka resource); what it does not cover is rendered here:
// - pods of the kafka namespace talk to each other (replication, controllers, entity operator, exporter);
// - Prometheus scrapes the exporter and the entity operator;
// - the Strimzi cluster operator reaches the brokers, controllers and the MirrorMaker 2 REST API;
// - MirrorMaker 2 reaches the remote cluster: the disaster-recovery cluster, or the region it mirrors from.
import type { NetworkPolicy, NetworkPolicySpec } from 'kubernetes-types/networking/v1.js';
import type { LoadedModel } from '../../model/loaded.ts';
import { KAFKA_COMPONENT } from '../../model/kafka.ts';
import { MIRROR_MAKER_POD_LABELS, kafkaPath } from './common.ts';
import { namespacePeer, tcpPorts } from '../core/network-policy.ts';
import { platformLabels } from '../core/labels.ts';
import { typedObject } from '../core/typed-object.ts';
import { mirrorLink } from './mirror-link.ts';
import type { Generator, OutputFile } from '../core/types.ts';

/** Strimzi ports: 9090 KRaft control plane, 9091 replication/operators, 8083 Connect REST API. */
const OPERATOR_PORTS = [9090, 9091, 8083];
/** Metrics ports: 9404 JMX/exporter metrics, 8080/8081 topic and user operator. */
export const METRICS_PORTS = [9404, 8080, 8081];
const STRIMZI_CHART = 'strimzi-kafka-operator';


/** Ports of a `host:port[,host:port]` bootstrap list, sorted, without duplicates. */
export function bootstrapPorts(bootstrapServers: string): number[] {
  const ports = bootstrapServers.split(',').map((entry) => Number(entry.trim().split(':').pop()));
  return [...new Set(ports.filter((p) => Number.isInteger(p) && p > 0 && p < 65536))].sort((a, b) => a - b);
}

/** Namespace of the Strimzi cluster operator (the component installing its chart), or null. */
export function strimziNamespace(model: LoadedModel): string | null {
  return model.components.find((c) => c.chart?.name === STRIMZI_CHART)?.namespace ?? null;
}

export const kafkaNetwork: Generator = ({ model }) => {
  const kafka = model.environment.kafka;
  const ns = kafka.namespace;
  const out: OutputFile[] = [];
  const policy = (namespace: string, name: string, spec: NetworkPolicySpec, source: string) => {
    const object = typedObject<NetworkPolicy>({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace, labels: platformLabels(model, KAFKA_COMPONENT) }, spec });
    out.push({ path: kafkaPath(namespace, 'NetworkPolicy', name), source, object });
  };

  policy(ns, `${kafka.clusterName}-internal`, {
    podSelector: {},
    policyTypes: ['Ingress', 'Egress'],
    ingress: [{ from: [{ podSelector: {} }] }],
    egress: [{ to: [{ podSelector: {} }] }],
  }, 'environment.kafka');

  const monitoring = model.platform.monitoring;
  policy(ns, 'allow-metrics-scrape', {
    podSelector: {},
    policyTypes: ['Ingress'],
    ingress: [{ from: [namespacePeer(monitoring.namespace, monitoring.podSelector)], ports: tcpPorts(METRICS_PORTS) }],
  }, 'platform.monitoring');

  const operatorNs = strimziNamespace(model);
  if (operatorNs !== null) {
    const operator = model.components.find((c) => c.namespace === operatorNs)!;
    policy(operatorNs, `allow-${kafka.clusterName}-kafka-egress`, {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [namespacePeer(ns)], ports: tcpPorts(OPERATOR_PORTS) }],
    }, operator.modelPath);
  }

  const link = mirrorLink(model);
  if (link) {
    policy(ns, `allow-mirror-maker-2-to-${link.remote.alias}`, {
      podSelector: { matchLabels: MIRROR_MAKER_POD_LABELS },
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: tcpPorts(bootstrapPorts(link.remote.bootstrapServers)) }],
    }, link.modelPath);
  }
  return out;
};
