// NetworkPolicy evaluation (networking.k8s.io/v1 semantics): a pod selected by no policy of a direction is open
// in that direction; otherwise it admits the union of the rules of the policies that select it. A connection
// needs both the source's egress and the destination's ingress. Peers: podSelector (same namespace),
// namespaceSelector (any pod there), or both (both must match); ipBlock peers are treated as outside the
// cluster (they match no pod; externalEdges lists them). Strimzi's own listener policy is derived from the
// rendered Kafka resource.
import type { Doc } from '../../policy-tests/lib/documents.ts';
import { type Obj, selects } from '../../policy-tests/lib/workloads.ts';
import type { Cluster, Pod } from './pods.ts';
import { intersect, isEmpty, type PortSet, portKey, union } from './ports.ts';

export interface Policy {
  ref: string;
  namespace: string;
  podSelector: Obj;
  ingress: Obj[] | null;
  egress: Obj[] | null;
}

export interface Edge {
  from: string;
  to: string;
  ports: PortSet;
}

const hasType = (spec: Obj, type: 'Ingress' | 'Egress') =>
  Array.isArray(spec.policyTypes) ? spec.policyTypes.includes(type) : type === 'Ingress' || Array.isArray(spec.egress);

export function networkPolicies(docs: readonly Doc[]): Policy[] {
  const out: Policy[] = [];
  for (const d of docs) {
    const data = d.data as Obj;
    const namespace: string = data.metadata?.namespace ?? 'default';
    if (data.kind === 'NetworkPolicy') {
      const spec = data.spec ?? {};
      out.push({ ref: d.ref, namespace, podSelector: spec.podSelector ?? {}, ingress: hasType(spec, 'Ingress') ? (spec.ingress ?? []) : null, egress: hasType(spec, 'Egress') ? (spec.egress ?? []) : null });
    } else if (data.kind === 'Kafka' && String(data.apiVersion).startsWith('kafka.strimzi.io/')) {
      out.push(strimziListenerPolicy(data, namespace));
    }
  }
  return out;
}

/** The policy Strimzi creates for a Kafka cluster's listeners: each listener admits its networkPolicyPeers (anyone when none). */
function strimziListenerPolicy(kafka: Obj, namespace: string): Policy {
  const name = String(kafka.metadata?.name);
  const ingress = (kafka.spec?.kafka?.listeners ?? []).map((l: Obj) => ({
    ...(Array.isArray(l.networkPolicyPeers) && l.networkPolicyPeers.length > 0 ? { from: l.networkPolicyPeers } : {}),
    ports: [{ protocol: 'TCP', port: l.port }],
  }));
  return { ref: `Kafka/${namespace}/${name} (Strimzi's listener policy)`, namespace, podSelector: { matchLabels: { 'strimzi.io/cluster': name, 'strimzi.io/kind': 'Kafka' } }, ingress, egress: null };
}

/** `selects` with the API's meaning of an absent or empty selector: every pod. */
const matches = (selector: Obj | undefined, labels: Record<string, string>) => selector === undefined || selects(selector, labels);

function peerMatches(peer: Obj, pod: Pod, policyNamespace: string, cluster: Cluster): boolean {
  if (peer.ipBlock) return false;
  if (peer.namespaceSelector !== undefined) {
    const nsLabels = cluster.namespaceLabels.get(pod.namespace) ?? {};
    return matches(peer.namespaceSelector, nsLabels) && matches(peer.podSelector, pod.labels);
  }
  return pod.namespace === policyNamespace && matches(peer.podSelector, pod.labels);
}

function rulePorts(rule: Obj): PortSet {
  if (!Array.isArray(rule.ports) || rule.ports.length === 0) return 'all';
  const out = new Set<string>();
  for (const p of rule.ports) {
    if (p.port === undefined) return 'all';
    out.add(portKey(p.port, p.protocol ?? 'TCP'));
  }
  return out;
}

/** Ports `pod` may use towards (egress) or accept from (ingress) `peer`, by the policies of `pod`'s namespace. */
function allowed(direction: 'ingress' | 'egress', pod: Pod, peer: Pod, policies: readonly Policy[], cluster: Cluster): PortSet {
  let result: PortSet = new Set();
  let selected = false;
  for (const policy of policies) {
    const rules = policy[direction];
    if (rules === null || policy.namespace !== pod.namespace || !matches(policy.podSelector, pod.labels)) continue;
    selected = true;
    for (const rule of rules) {
      const peers: Obj[] | undefined = rule[direction === 'ingress' ? 'from' : 'to'];
      const admitted = !Array.isArray(peers) || peers.length === 0 || peers.some((p) => peerMatches(p, peer, policy.namespace, cluster));
      if (admitted) result = union(result, rulePorts(rule));
    }
  }
  return selected ? result : 'all';
}

/** Every pair of distinct pods that can connect, with the ports. */
export function networkEdges(cluster: Cluster, policies: readonly Policy[]): Edge[] {
  const edges: Edge[] = [];
  for (const from of cluster.pods) {
    for (const to of cluster.pods) {
      if (from === to) continue;
      const out = allowed('egress', from, to, policies, cluster);
      if (isEmpty(out)) continue;
      const ports = intersect(out, allowed('ingress', to, from, policies, cluster));
      if (!isEmpty(ports)) edges.push({ from: from.id, to: to.id, ports });
    }
  }
  return edges;
}

/** The destination of an egress rule outside the cluster: an ipBlock as written, or anywhere (a rule without peers, a pod no egress policy selects). */
export const ANYWHERE = 'outside the cluster: any address';
export const ipBlockTarget = (cidr: string, except: readonly string[] = []) => `outside the cluster: ${cidr}${except.length > 0 ? ` except ${except.join(' ')}` : ''}`;

/** Every pod's egress beyond the cluster's pods, by its own namespace's policies (the destination admits anything: it is not a pod). */
export function externalEdges(cluster: Cluster, policies: readonly Policy[]): Edge[] {
  const edges = new Map<string, Edge>();
  const add = (from: string, to: string, ports: PortSet) => {
    const key = `${from} ${to}`;
    const edge = edges.get(key);
    edges.set(key, { from, to, ports: edge ? union(edge.ports, ports) : ports });
  };
  for (const pod of cluster.pods) {
    let selected = false;
    for (const policy of policies) {
      if (policy.egress === null || policy.namespace !== pod.namespace || !matches(policy.podSelector, pod.labels)) continue;
      selected = true;
      for (const rule of policy.egress) {
        const peers: Obj[] | undefined = rule.to;
        if (!Array.isArray(peers) || peers.length === 0) add(pod.id, ANYWHERE, rulePorts(rule));
        else for (const p of peers) if (p.ipBlock) add(pod.id, ipBlockTarget(String(p.ipBlock.cidr), p.ipBlock.except ?? []), rulePorts(rule));
      }
    }
    if (!selected) add(pod.id, ANYWHERE, 'all');
  }
  return [...edges.values()];
}
