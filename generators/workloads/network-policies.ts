// Per-service NetworkPolicies derived from the model: ingress from declared callers, the ingress
// gateway and Prometheus; egress to callees, Kafka, datastores and (if declared) the Kubernetes API.
// The namespace's default deny and DNS egress come from namespace-guardrails.ts.
import type { NetworkPolicy, NetworkPolicyEgressRule, NetworkPolicyIngressRule, NetworkPolicyPeer, NetworkPolicyPort } from 'kubernetes-types/networking/v1.js';
import { TLS_LISTENER } from '../../model/kafka.ts';
import type { LoadedModel, LoadedService } from '../../model/loaded.ts';
import { selectorLabels } from '../core/labels.ts';
import { serviceObject } from './service-object.ts';
import type { Generator } from '../core/types.ts';
import { datastoreNamed, serviceNamed } from '../core/lookup.ts';


function peer(namespace: string, podLabels: Record<string, string>): NetworkPolicyPeer {
  return { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } }, podSelector: { matchLabels: podLabels } };
}

function tcp(ports: number[]): NetworkPolicyPort[] {
  return ports.map((port) => ({ protocol: 'TCP', port }));
}

function ingressRules(model: LoadedModel, service: LoadedService): NetworkPolicyIngressRule[] {
  if (service.ports.length === 0) return [];
  const ports = tcp(service.ports.map((p) => p.port));
  const rules: NetworkPolicyIngressRule[] = [];
  for (const caller of service.calledBy) {
    const from = serviceNamed(model, caller);
    rules.push({ from: [peer(from.namespace, selectorLabels(from))], ports });
  }
  if (service.ingress) rules.push({ from: [peer(model.platform.ingressGateway.namespace, model.platform.ingressGateway.podSelector)], ports });
  rules.push({ from: [peer(model.platform.monitoring.namespace, model.platform.monitoring.podSelector)], ports: tcp([service.ports[0].port]) });
  return rules;
}

function egressRules(model: LoadedModel, service: LoadedService): NetworkPolicyEgressRule[] {
  const rules: NetworkPolicyEgressRule[] = [];
  for (const callee of service.calls) {
    const to = serviceNamed(model, callee);
    rules.push({ to: [peer(to.namespace, selectorLabels(to))], ports: tcp(to.ports.map((p) => p.port)) });
  }
  if (service.kafka) {
    const kafka = model.environment.kafka;
    rules.push({ to: [peer(kafka.namespace, { 'strimzi.io/cluster': kafka.clusterName, 'strimzi.io/kind': 'Kafka' })], ports: tcp([TLS_LISTENER.port]) });
  }
  for (const use of service.datastores) {
    const store = datastoreNamed(model, use.name);
    rules.push({ to: [peer(store.namespace, store.podSelector)], ports: tcp([store.port]) });
  }
  if (service.kubernetesApiAccess) rules.push({ ports: tcp([443, 6443]) });
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
