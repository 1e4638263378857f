// Building blocks of NetworkPolicy rules, shared by every generator that writes one.
import type { NetworkPolicyPeer, NetworkPolicyPort } from 'kubernetes-types/networking/v1.js';
import { NAMESPACE_NAME_LABEL } from './kubernetes.ts';

/** The pods with `podLabels` (all pods when empty) in the namespace named `namespace`. */
export function namespacePeer(namespace: string, podLabels: Record<string, string> = {}): NetworkPolicyPeer {
  return { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } }, podSelector: { matchLabels: podLabels } };
}

/** TCP ports, in the order given. */
export function tcpPorts(ports: readonly number[]): NetworkPolicyPort[] {
  return ports.map((port) => ({ protocol: 'TCP', port }));
}
