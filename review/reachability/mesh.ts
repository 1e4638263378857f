// Istio evaluation, for destinations with a sidecar: the PeerAuthentication in force (workload selector, else
// the namespace's, else the root namespace's; port-level modes override) decides whether a caller without a
// mesh identity may connect at all; AuthorizationPolicies (the namespace's and the root namespace's that select
// the workload) decide per port: any matching DENY refuses; with no ALLOW policy everything is allowed,
// otherwise a request needs a matching ALLOW rule (an ALLOW policy without rules allows nothing). Sources match
// by principal or namespace, which only mTLS carries; notPrincipals matches a caller without one.
import type { Doc } from '../../policy-tests/lib/documents.ts';
import { type Obj, selects } from '../../policy-tests/lib/workloads.ts';
import type { Edge } from './network.ts';
import type { Cluster, Pod } from './pods.ts';
import { type PortSet, portKey } from './ports.ts';

/** Istio's root namespace: policies there apply to the whole mesh. */
export const ROOT_NAMESPACE = 'istio-system';
const TRUST_DOMAIN = 'cluster.local';
/** A port no rule names: whether it is allowed tells whether every port is. */
const OTHER_PORT = 'other';

interface MeshObject {
  ref: string;
  namespace: string;
  selector: Obj | undefined;
  spec: Obj;
}

export interface MeshPolicies {
  peerAuthentications: MeshObject[];
  authorizationPolicies: MeshObject[];
}

export function meshPolicies(docs: readonly Doc[]): MeshPolicies {
  const of = (kind: string) =>
    docs
      .filter((d) => d.data.kind === kind && String(d.data.apiVersion).startsWith('security.istio.io/'))
      .map((d) => {
        const spec = (d.data.spec ?? {}) as Obj;
        return { ref: d.ref, namespace: d.data.metadata?.namespace ?? 'default', selector: spec.selector, spec };
      });
  return { peerAuthentications: of('PeerAuthentication'), authorizationPolicies: of('AuthorizationPolicy') };
}

const applies = (o: MeshObject, pod: Pod) =>
  (o.namespace === pod.namespace || o.namespace === ROOT_NAMESPACE) && (o.selector === undefined || selects(o.selector, pod.labels));

export const principalOf = (pod: Pod) => (pod.meshed && pod.serviceAccount ? `${TRUST_DOMAIN}/ns/${pod.namespace}/sa/${pod.serviceAccount}` : null);

/** The mTLS mode for connections to `pod` on `port`. */
function mtlsMode(pod: Pod, port: string, policies: MeshPolicies): string {
  const candidates = policies.peerAuthentications.filter((p) => applies(p, pod));
  const rank = (p: MeshObject) => (p.selector !== undefined && p.namespace === pod.namespace ? 0 : p.namespace === pod.namespace ? 1 : 2);
  const chosen = candidates.sort((a, b) => rank(a) - rank(b))[0];
  if (!chosen) return 'PERMISSIVE';
  const number = port.split('/')[0];
  return chosen.spec.portLevelMtls?.[number]?.mode ?? chosen.spec.mtls?.mode ?? 'PERMISSIVE';
}

function wildcard(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  return pattern === value;
}

function sourceMatches(source: Obj, caller: Pod): boolean {
  const principal = principalOf(caller);
  const namespace = principal ? caller.namespace : null;
  const list = (field: string): string[] | null => (Array.isArray(source[field]) ? source[field] : null);
  const principals = list('principals');
  if (principals && !(principal && principals.some((p) => wildcard(p, principal)))) return false;
  const notPrincipals = list('notPrincipals');
  if (notPrincipals && principal && notPrincipals.some((p) => wildcard(p, principal))) return false;
  const namespaces = list('namespaces');
  if (namespaces && !(namespace && namespaces.some((n) => wildcard(n, namespace)))) return false;
  const notNamespaces = list('notNamespaces');
  if (notNamespaces && namespace && notNamespaces.some((n) => wildcard(n, namespace))) return false;
  // IP blocks and request principals (JWT) name no pod: a source that needs one matches none.
  return !['ipBlocks', 'remoteIpBlocks', 'requestPrincipals'].some((f) => list(f));
}

function operationMatches(operation: Obj, port: string): boolean {
  const number = port.split('/')[0];
  if (Array.isArray(operation.ports) && !operation.ports.includes(number)) return false;
  if (Array.isArray(operation.notPorts) && operation.notPorts.includes(number)) return false;
  return true;
}

function ruleMatches(rule: Obj, caller: Pod, port: string): boolean {
  const from: Obj[] | undefined = rule.from;
  const to: Obj[] | undefined = rule.to;
  const fromOk = !Array.isArray(from) || from.length === 0 || from.some((f) => sourceMatches(f.source ?? {}, caller));
  const toOk = !Array.isArray(to) || to.length === 0 || to.some((t) => operationMatches(t.operation ?? {}, port));
  // `when` conditions are request attributes; a rule that has them is counted as matching (the matrix is per port).
  return fromOk && toOk;
}

function allowedOn(caller: Pod, target: Pod, port: string, policies: MeshPolicies): boolean {
  if (!principalOf(caller) && mtlsMode(target, port, policies) === 'STRICT') return false;
  const applicable = policies.authorizationPolicies.filter((p) => applies(p, target));
  const rulesOf = (action: string) => applicable.filter((p) => (p.spec.action ?? 'ALLOW') === action);
  if (rulesOf('DENY').some((p) => (p.spec.rules ?? []).some((r: Obj) => ruleMatches(r, caller, port)))) return false;
  const allows = rulesOf('ALLOW');
  if (allows.length === 0) return true;
  return allows.some((p) => (p.spec.rules ?? []).some((r: Obj) => ruleMatches(r, caller, port)));
}

/** Ports any rule selecting `target` names, as `port/TCP` (Istio's ports are TCP ports). */
function namedPorts(target: Pod, policies: MeshPolicies): string[] {
  const ports = new Set<string>();
  for (const p of policies.authorizationPolicies) {
    if (!applies(p, target)) continue;
    for (const r of p.spec.rules ?? []) for (const t of r.to ?? []) for (const n of [...(t.operation?.ports ?? []), ...(t.operation?.notPorts ?? [])]) ports.add(portKey(n));
  }
  for (const p of policies.peerAuthentications) if (applies(p, target)) for (const n of Object.keys(p.spec.portLevelMtls ?? {})) ports.add(portKey(n));
  return [...ports];
}

/** For every destination with a sidecar: who may connect, on which ports, by the mesh's policies alone. */
export function meshEdges(cluster: Cluster, policies: MeshPolicies): Edge[] {
  const edges: Edge[] = [];
  for (const target of cluster.pods.filter((p) => p.enforcesInbound)) {
    const candidates = namedPorts(target, policies);
    for (const caller of cluster.pods) {
      if (caller === target) continue;
      const ports: PortSet = allowedOn(caller, target, portKey(OTHER_PORT), policies) ? 'all' : new Set(candidates.filter((port) => allowedOn(caller, target, port, policies)));
      if (ports === 'all' || ports.size > 0) edges.push({ from: caller.id, to: target.id, ports });
    }
  }
  return edges;
}
