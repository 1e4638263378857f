// Requested CPU and memory of an environment: replicas × the pod's requests, per workload.
import { parseQuantity } from './quantity.ts';
import { groupOf, type Resource } from './resources.ts';
import type { CapacityTotals, RenderedObject } from './types.ts';

export const CAPACITY_NOTE =
  'Capacity = replicas × pod requests (the larger of the containers’ sum and any init container) of Deployments, StatefulSets, ReplicaSets, Argo Rollouts and Strimzi KafkaNodePools; ' +
  'a workload scaled by a HorizontalPodAutoscaler (or KEDA ScaledObject) counts at its minReplicas; CronJobs and Jobs are not counted.';

const REPLICATED = new Set(['apps/Deployment', 'apps/StatefulSet', 'apps/ReplicaSet', 'argoproj.io/Rollout']);

interface Container {
  resources?: { requests?: { cpu?: unknown; memory?: unknown } };
}

function podRequests(spec: { containers?: Container[]; initContainers?: Container[] } | undefined): CapacityTotals {
  const of = (c: Container) => ({
    cpu: (parseQuantity(c.resources?.requests?.cpu) ?? 0) * 1000,
    memory: parseQuantity(c.resources?.requests?.memory) ?? 0,
  });
  const main = (spec?.containers ?? []).map(of).reduce((a, b) => ({ cpu: a.cpu + b.cpu, memory: a.memory + b.memory }), { cpu: 0, memory: 0 });
  const init = (spec?.initContainers ?? []).map(of);
  return { cpu: Math.max(main.cpu, ...init.map((i) => i.cpu)), memory: Math.max(main.memory, ...init.map((i) => i.memory)) };
}

/** Minimum replicas of autoscaled workloads, by `<namespace>/<kind>/<name>` of the target. */
function autoscaledMinimums(resources: Iterable<Resource>): Map<string, number> {
  const minimums = new Map<string, number>();
  for (const { object, id } of resources) {
    const spec = object.spec as { scaleTargetRef?: { kind?: string; name?: string }; minReplicas?: number; minReplicaCount?: number } | undefined;
    const target = spec?.scaleTargetRef;
    if (!target?.name) continue;
    if (id.kind === 'HorizontalPodAutoscaler' && id.group === 'autoscaling') minimums.set(`${id.namespace}/${target.kind}/${target.name}`, spec?.minReplicas ?? 1);
    if (id.kind === 'ScaledObject' && id.group === 'keda.sh') minimums.set(`${id.namespace}/${target.kind ?? 'Deployment'}/${target.name}`, spec?.minReplicaCount ?? 0);
  }
  return minimums;
}

/** Total requested CPU (millicores) and memory (bytes) of one environment's resources. */
export function capacityTotals(resources: Map<string, Resource>): CapacityTotals {
  const minimums = autoscaledMinimums(resources.values());
  const total = { cpu: 0, memory: 0 };
  for (const { object, id } of resources.values()) {
    const spec = object.spec as { replicas?: number; template?: { spec?: RenderedObject['spec'] }; resources?: { requests?: { cpu?: unknown; memory?: unknown } } } | undefined;
    let replicas: number;
    let pod: CapacityTotals;
    if (REPLICATED.has(`${groupOf(object.apiVersion)}/${id.kind}`)) {
      replicas = minimums.get(`${id.namespace}/${id.kind}/${id.name}`) ?? spec?.replicas ?? 1;
      pod = podRequests(spec?.template?.spec as Parameters<typeof podRequests>[0]);
    } else if (id.kind === 'KafkaNodePool' && id.group === 'kafka.strimzi.io') {
      replicas = spec?.replicas ?? 0;
      pod = podRequests({ containers: [{ resources: spec?.resources }] });
    } else continue;
    total.cpu += replicas * pod.cpu;
    total.memory += replicas * pod.memory;
  }
  return total;
}
