// Per-namespace guardrails owned by the platform, not the tenant: quota, limit range,
// default-deny network policy with DNS egress, the extra access operators declare, and the
// ingress gateway's egress to the services it routes to.
import type { LimitRange, ResourceQuota } from 'kubernetes-types/core/v1.js';
import type { NetworkPolicy, NetworkPolicyEgressRule } from 'kubernetes-types/networking/v1.js';
import type { TenantQuota } from '../../model/spec.ts';
import { managedNamespaces } from './namespaces.ts';
import { API_SERVER_PORTS, KUBE_SYSTEM_NAMESPACE } from '../core/kubernetes.ts';
import { NAMESPACES_COMPONENT, platformLabels, selectorLabels, tenantLabels } from '../core/labels.ts';
import { namespacePeer, tcpPorts } from '../core/network-policy.ts';
import { type Built, type CoreObject, typedObject } from '../core/typed-object.ts';
import type { Generator, OutputFile } from '../core/types.ts';

const dnsEgress: NetworkPolicyEgressRule = {
  to: [namespacePeer(KUBE_SYSTEM_NAMESPACE, { 'k8s-app': 'kube-dns' })],
  ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
};

/** The `hard` limits of a namespace's ResourceQuota; only the ingress gateway's namespace holds a LoadBalancer. */
export function quotaHard(quota: Required<TenantQuota>, loadBalancers = 0): Record<string, string> {
  return {
    'requests.cpu': quota.requests.cpu,
    'requests.memory': quota.requests.memory,
    'limits.cpu': quota.limits.cpu,
    'limits.memory': quota.limits.memory,
    pods: String(quota.pods),
    persistentvolumeclaims: String(quota.persistentVolumeClaims),
    'requests.storage': quota.storage,
    'services.nodeports': '0',
    'services.loadbalancers': String(loadBalancers),
  };
}

export const namespaceGuardrails: Generator = ({ model }) => {
  const files: OutputFile[] = [];
  for (const ns of managedNamespaces(model)) {
    const tenant = model.tenants.find((t) => t.name === ns.tenant);
    const labels = tenant ? tenantLabels(model, tenant) : platformLabels(model, NAMESPACES_COMPONENT);
    const add = <T extends CoreObject>(object: Built<T>, source: string) =>
      files.push({ path: `platform/${NAMESPACES_COMPONENT}/${ns.name}/${object.kind.toLowerCase()}-${object.metadata.name}.yaml`, source, object: typedObject<T>(object) });
    const meta = (name: string) => ({ name, namespace: ns.name, labels });

    add<NetworkPolicy>({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('default-deny'), spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } }, ns.source);
    add<NetworkPolicy>({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('allow-dns'), spec: { podSelector: {}, policyTypes: ['Egress'], egress: [dnsEgress] } }, ns.source);

    if (tenant) {
      const quota = tenant.quota;
      add<ResourceQuota>({
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: meta('tenant-quota'),
        spec: { hard: quotaHard(quota) },
      }, `${tenant.modelPath}.quota`);
      const defaults = tenant.containerDefaults;
      add<LimitRange>({
        apiVersion: 'v1',
        kind: 'LimitRange',
        metadata: meta('container-defaults'),
        spec: { limits: [{ type: 'Container', defaultRequest: { ...defaults.requests }, default: { ...defaults.limits } }] },
      }, `${tenant.modelPath}.containerDefaults`);
    }

    // Operators' extra access, the union over the components that live here.
    const components = ns.components;
    const sourceOf = (field: 'apiServer' | 'ingressPorts' | 'egressPorts') => {
      const first = components.find((c) => (field === 'apiServer' ? c.network.apiServer : c.network[field].length > 0))!;
      return `${first.modelPath}.network.${field}`;
    };
    const union = (field: 'ingressPorts' | 'egressPorts') => [...new Set(components.flatMap((c) => c.network[field]))];
    const allow = (name: string, rule: Pick<NetworkPolicy['spec'] & object, 'ingress' | 'egress'>, source: string) =>
      add<NetworkPolicy>({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: meta(name),
        spec: { podSelector: {}, policyTypes: [rule.ingress ? 'Ingress' : 'Egress'], ...rule },
      }, source);
    if (components.some((c) => c.network.apiServer)) allow('allow-apiserver-egress', { egress: [{ ports: tcpPorts(API_SERVER_PORTS) }] }, sourceOf('apiServer'));
    const ingressPorts = union('ingressPorts');
    if (ingressPorts.length > 0) allow('allow-component-ingress', { ingress: [{ ports: tcpPorts(ingressPorts) }] }, sourceOf('ingressPorts'));
    const egressPorts = union('egressPorts');
    if (egressPorts.length > 0) allow('allow-component-egress', { egress: [{ ports: tcpPorts(egressPorts) }] }, sourceOf('egressPorts'));
    // The ingress gateway reaches exactly the services that have an ingress, on their ports.
    const gateway = model.platform.ingressGateway;
    const routed = model.services.filter((s) => s.ingress && s.ports.length > 0);
    if (ns.name === gateway.namespace && routed.length > 0) {
      add<NetworkPolicy>({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: meta('allow-gateway-to-services'),
        spec: {
          podSelector: { matchLabels: { ...gateway.podSelector } },
          policyTypes: ['Egress'],
          egress: routed.map((s) => ({ to: [namespacePeer(s.namespace, selectorLabels(s))], ports: tcpPorts(s.ports.map((p) => p.port)) })),
        },
      }, 'platform.ingressGateway');
    }
  }
  return files;
};

