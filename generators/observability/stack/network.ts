// The monitoring namespace's own NetworkPolicies, on top of its default deny and the ports its components
// admit (namespace-guardrails.ts): its pods talk to each other (Prometheus to Alertmanager, Grafana to its
// data sources, the collector to Tempo and Loki, Thanos to the sidecars), and Prometheus reaches every scrape
// target on exactly its metrics ports. The targets admit Prometheus on their side (their own policies).
import type { NetworkPolicy, NetworkPolicyEgressRule } from 'kubernetes-types/networking/v1.js';
import { OBSERVABILITY_COMPONENT } from '../../../model/platform-components.ts';
import { platformLabels } from '../../core/labels.ts';
import { namespacePeer, tcpPorts } from '../../core/network-policy.ts';
import { typedObject } from '../../core/typed-object.ts';
import type { Generator, OutputFile } from '../../core/types.ts';
import { scrapeTargets } from './monitors.ts';
import { monitoringInstalled } from './names.ts';

/** Kubelet (cAdvisor, probes) and node-exporter listen on the nodes' own addresses: no pod selector reaches them. */
const NODE_PORTS = [10250, 9100];

export const monitoringNetwork: Generator = ({ model }) => {
  if (!monitoringInstalled(model)) return [];
  const { namespace, podSelector } = model.platform.monitoring;
  const labels = platformLabels(model, OBSERVABILITY_COMPONENT);
  const policy = (name: string, spec: NetworkPolicy['spec'], source: string): OutputFile => ({
    path: `platform/${OBSERVABILITY_COMPONENT}/${namespace}/networkpolicy-${name}.yaml`,
    source,
    object: typedObject<NetworkPolicy>({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace, labels }, spec }),
  });
  const scrape: NetworkPolicyEgressRule[] = scrapeTargets(model).map((t) => ({ to: [namespacePeer(t.namespace, t.podSelector)], ports: tcpPorts(t.ports) }));
  scrape.push({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: tcpPorts(NODE_PORTS) });
  return [
    policy('monitoring-internal', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: {} }] }], egress: [{ to: [{ podSelector: {} }] }] }, 'platform.monitoring.namespace'),
    policy('allow-prometheus-scrape', { podSelector: { matchLabels: { ...podSelector } }, policyTypes: ['Egress'], egress: scrape }, 'platform.monitoring.podSelector'),
  ];
};
