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

/**
 * Addresses that are not the public internet: private (RFC 1918: the VPC, pods and Services), shared
 * (RFC 6598: some CNIs' pod ranges), loopback and link-local (the cloud's metadata endpoint).
 */
export const NON_PUBLIC_RANGES = ['10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16'];

/** Any public IPv4 address. */
export function publicInternetPeer(): NetworkPolicyPeer {
  return { ipBlock: { cidr: '0.0.0.0/0', except: [...NON_PUBLIC_RANGES] } };
}
