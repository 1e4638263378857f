// Per-service NetworkPolicies derived from the model: ingress from declared callers, the ingress
// gateway and Prometheus; egress to callees, Kafka, datastores, (if declared) the Kubernetes API and
// external endpoints (public addresses only, on the declared ports).
// The namespace's default deny and DNS egress come from namespace-guardrails.ts.
import type { NetworkPolicy, NetworkPolicyEgressRule, NetworkPolicyIngressRule } from 'kubernetes-types/networking/v1.js';
import { TLS_LISTENER } from '../../model/kafka.ts';
import type { LoadedModel, LoadedService } from '../../model/loaded.ts';
import { brokerPodLabels } from '../kafka/common.ts';
import { API_SERVER_PORTS } from '../core/kubernetes.ts';
import { selectorLabels } from '../core/labels.ts';
import { namespacePeer, publicInternetPeer, tcpPorts } from '../core/network-policy.ts';
import { serviceObject } from './service-object.ts';
import type { Generator } from '../core/types.ts';
import { datastoreNamed, serviceNamed } from '../core/lookup.ts';
import { collectorEgress } from '../observability/telemetry/otlp.ts';

function ingressRules(model: LoadedModel, service: LoadedService): NetworkPolicyIngressRule[] {
  if (service.ports.length === 0) return [];
  const ports = tcpPorts(service.ports.map((p) => p.port));
  const rules: NetworkPolicyIngressRule[] = [];
  for (const caller of service.calledBy) {
    const from = serviceNamed(model, caller);
    rules.push({ from: [namespacePeer(from.namespace, selectorLabels(from))], ports });
  }
  if (service.ingress) rules.push({ from: [namespacePeer(model.platform.ingressGateway.namespace, model.platform.ingressGateway.podSelector)], ports });
  rules.push({ from: [namespacePeer(model.platform.monitoring.namespace, model.platform.monitoring.podSelector)], ports: tcpPorts([service.ports[0].port]) });
  return rules;
}

function egressRules(model: LoadedModel, service: LoadedService): NetworkPolicyEgressRule[] {
  const rules: NetworkPolicyEgressRule[] = [];
  for (const callee of service.calls) {
    const to = serviceNamed(model, callee);
    rules.push({ to: [namespacePeer(to.namespace, selectorLabels(to))], ports: tcpPorts(to.ports.map((p) => p.port)) });
  }
  if (service.kafka) {
    const kafka = model.environment.kafka;
    rules.push({ to: [namespacePeer(kafka.namespace, brokerPodLabels(kafka.clusterName))], ports: tcpPorts([TLS_LISTENER.port]) });
  }
  for (const use of service.datastores) {
    const store = datastoreNamed(model, use.name);
    rules.push({ to: [namespacePeer(store.namespace, store.podSelector)], ports: tcpPorts([store.port]) });
  }
  if (service.kubernetesApiAccess) rules.push({ ports: tcpPorts(API_SERVER_PORTS) });
  // Outside the cluster (model/externals.ts): hosts not known here (a Secret holds the URLs), so any public address.
  for (const external of service.externalEgress) rules.push({ to: [publicInternetPeer()], ports: tcpPorts(external.ports) });
  rules.push(...collectorEgress(model));
  return rules;
}

export const networkPolicies: Generator = ({ model }) =>
  model.services.map((service) =>
    serviceObject<NetworkPolicy>(model, service, 'networking.k8s.io/v1', 'NetworkPolicy', {
      spec: {
        podSelector: { matchLabels: selectorLabels(service) },
        policyTypes: ['Ingress', 'Egress'],
        ingress: ingressRules(model, service),
        egress: egressRules(model, service),
      },
    }),
  );
