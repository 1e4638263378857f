// Per-namespace guardrails owned by the platform, not the tenant: quota, limit range,
// default-deny network policy with DNS egress, and the extra access operators declare.
import type { LimitRange, ResourceQuota } from 'kubernetes-types/core/v1.js';
import type { NetworkPolicy, NetworkPolicyEgressRule } from 'kubernetes-types/networking/v1.js';
import { managedNamespaces } from './namespaces.ts';
import { API_SERVER_PORTS, KUBE_SYSTEM_NAMESPACE } from '../core/kubernetes.ts';
import { NAMESPACES_COMPONENT, platformLabels, tenantLabels } from '../core/labels.ts';
import { namespacePeer, tcpPorts } from '../core/network-policy.ts';
import { type Built, type CoreObject, typedObject } from '../core/typed-object.ts';
import type { Generator, OutputFile } from '../core/types.ts';

const dnsEgress: NetworkPolicyEgressRule = {
  to: [namespacePeer(KUBE_SYSTEM_NAMESPACE, { 'k8s-app': 'kube-dns' })],
  ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
};

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
        spec: {
          hard: {
            'requests.cpu': quota.requests.cpu,
            'requests.memory': quota.requests.memory,
            'limits.cpu': quota.limits.cpu,
            'limits.memory': quota.limits.memory,
            pods: String(quota.pods),
            persistentvolumeclaims: String(quota.persistentVolumeClaims),
            'requests.storage': quota.storage,
            'services.nodeports': '0',
            'services.loadbalancers': '0',
          },
        },
      }, `${tenant.modelPath}.quota`);
      const defaults = tenant.containerDefaults;
      add<LimitRange>({
        apiVersion: 'v1',
        kind: 'LimitRange',
        metadata: meta('container-defaults'),
        spec: { limits: [{ type: 'Container', defaultRequest: { ...defaults.requests }, default: { ...defaults.limits } }] },
      }, `${tenant.modelPath}.containerDefaults`);
    }

    const component = model.components.find((c) => c.namespace === ns.name);
    if (component?.network.apiServer) {
      add<NetworkPolicy>({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: meta('allow-apiserver-egress'),
        spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: tcpPorts(API_SERVER_PORTS) }] },
      }, `${component.modelPath}.network.apiServer`);
    }
    if (component && component.network.ingressPorts.length > 0) {
      add<NetworkPolicy>({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: meta('allow-component-ingress'),
        spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: tcpPorts(component.network.ingressPorts) }] },
      }, `${component.modelPath}.network.ingressPorts`);
    }
  }
  return files;
};

