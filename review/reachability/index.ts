// Reachability and access of one environment, computed from its rendered objects alone (see docs/zero-trust.md):
// the network matrix (NetworkPolicies), the mesh matrix (PeerAuthentications and AuthorizationPolicies of the
// destinations with a sidecar), each restricted to the connections a tenant's workload takes part in, the
// egress of tenant workloads beyond the cluster (ipBlock rules, rules without peers), and the access matrix
// (RBAC and Argo CD).
import type { Doc } from '../../policy-tests/lib/documents.ts';
import { accessGrants, type Grant } from './access.ts';
import { meshEdges, meshPolicies } from './mesh.ts';
import { type Edge, externalEdges, networkEdges, networkPolicies } from './network.ts';
import { type Cluster, clusterOf } from './pods.ts';

export interface Reachability {
  cluster: Cluster;
  network: Edge[];
  mesh: Edge[];
  /** Tenant workloads' egress to addresses outside the cluster (`to` is the ipBlock, or any address). */
  external: Edge[];
  access: Grant[];
}

export function reachability(docs: readonly Doc[]): Reachability {
  const cluster = clusterOf(docs);
  const tenantPods = new Set(cluster.pods.filter((p) => p.tenant).map((p) => p.id));
  const inScope = (e: Edge) => tenantPods.has(e.from) || tenantPods.has(e.to);
  const policies = networkPolicies(docs);
  return {
    cluster,
    network: networkEdges(cluster, policies).filter(inScope),
    external: externalEdges(cluster, policies).filter((e) => tenantPods.has(e.from)),
    mesh: meshEdges(cluster, meshPolicies(docs)).filter(inScope),
    access: accessGrants(docs),
  };
}
