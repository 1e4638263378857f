// One Chaos Mesh Schedule per chaos experiment of the environment (model/chaos.ts; the loader admits them
// only where chaos is allowed): weekly, concurrency forbidden, the fault scoped by the service's selector
// labels to its own namespace (a database failover: its PostgreSQL primary; a broker kill: one Kafka broker),
// annotated with the SLO it must not break.
import type { LoadedChaosExperiment, LoadedModel } from '../../model/loaded.ts';
import { CNPG_CLUSTER_LABEL } from '../data/cluster.ts';
import { STRIMZI_CLUSTER_LABEL, STRIMZI_POOL_LABEL, brokerPoolName } from '../kafka/common.ts';
import { platformLabels, selectorLabels } from '../core/labels.ts';
import { serviceNamed } from '../core/lookup.ts';
import type { Generator, KubeObject, OutputFile } from '../core/types.ts';

export const CHAOS_API = 'chaos-mesh.org/v1alpha1';
export const CHAOS_EXPERIMENTS_COMPONENT = 'chaos-experiments';
/** `<tenant>/<service>/<slo>`: the SLO the experiment must not break (generators/observability renders its burn-rate alerts). */
export const SLO_ANNOTATION = 'gamemetrics.dev/slo';
export const SCENARIO_ANNOTATION = 'gamemetrics.dev/chaos-scenario';
const CNPG_ROLE_LABEL = 'cnpg.io/instanceRole';

/** Chaos Mesh's Schedule `type` and the field of the embedded experiment, per scenario. */
const KIND: Record<LoadedChaosExperiment['scenario'], { type: string; field: string }> = {
  'pod-kill': { type: 'PodChaos', field: 'podChaos' },
  'network-latency': { type: 'NetworkChaos', field: 'networkChaos' },
  'cpu-stress': { type: 'StressChaos', field: 'stressChaos' },
  'memory-stress': { type: 'StressChaos', field: 'stressChaos' },
  'disk-io': { type: 'IOChaos', field: 'ioChaos' },
  'container-restart-loop': { type: 'PodChaos', field: 'podChaos' },
  'service-unavailable': { type: 'PodChaos', field: 'podChaos' },
  'database-failover': { type: 'PodChaos', field: 'podChaos' },
  'broker-kill': { type: 'PodChaos', field: 'podChaos' },
};

/** The experiment Chaos Mesh creates at each run: which pods, how, for how long. */
export function experimentSpec(model: LoadedModel, experiment: LoadedChaosExperiment): Record<string, unknown> {
  const service = serviceNamed(model, experiment.service);
  const selector = { namespaces: [service.namespace], labelSelectors: selectorLabels(service) };
  const duration = experiment.duration;
  switch (experiment.scenario) {
    case 'pod-kill':
      return { action: 'pod-kill', mode: 'one', selector, gracePeriod: 0 };
    case 'network-latency':
      return { action: 'delay', mode: 'all', selector, delay: { latency: '200ms', jitter: '50ms', correlation: '25' }, direction: 'to', duration };
    case 'cpu-stress':
      return { mode: 'all', selector, containerNames: [service.name], stressors: { cpu: { workers: 2, load: 80 } }, duration };
    case 'memory-stress':
      return { mode: 'all', selector, containerNames: [service.name], stressors: { memory: { workers: 1, size: '80%' } }, duration };
    case 'disk-io':
      return { action: 'latency', mode: 'all', selector, containerNames: [service.name], volumePath: '/tmp', path: '/tmp/**/*', delay: '100ms', percent: 50, duration };
    case 'container-restart-loop':
      return { action: 'container-kill', mode: 'all', selector, containerNames: [service.name] };
    case 'service-unavailable':
      return { action: 'pod-failure', mode: 'all', selector, duration };
    case 'database-failover': {
      const store = experiment.datastore!;
      return { action: 'pod-kill', mode: 'one', selector: { namespaces: [store.namespace], labelSelectors: { [CNPG_CLUSTER_LABEL]: store.name, [CNPG_ROLE_LABEL]: 'primary' } }, gracePeriod: 0 };
    }
    case 'broker-kill': {
      const kafka = model.environment.kafka;
      return { action: 'pod-kill', mode: 'one', selector: { namespaces: [kafka.namespace], labelSelectors: { [STRIMZI_CLUSTER_LABEL]: kafka.clusterName, [STRIMZI_POOL_LABEL]: brokerPoolName(kafka.controllers) } }, gracePeriod: 0 };
    }
  }
}

/** Every run's cron: weekly; the restart loop kills the container every 5 minutes within its hour. */
function cron(experiment: LoadedChaosExperiment): string {
  if (experiment.scenario !== 'container-restart-loop') return experiment.schedule;
  const [, hour, ...rest] = experiment.schedule.split(' ');
  return ['*/5', hour, ...rest].join(' ');
}

export const chaosSchedules: Generator = ({ model }) =>
  model.chaosExperiments.map((experiment): OutputFile => {
    const namespace = model.components.find((c) => c.name === CHAOS_EXPERIMENTS_COMPONENT)?.namespace;
    if (!namespace) throw new Error(`chaos experiments are declared for ${model.environment.name} but component "${CHAOS_EXPERIMENTS_COMPONENT}" is not installed there: declare it in model/components.ts with installWhen: 'chaos'`);
    const { type, field } = KIND[experiment.scenario];
    const object: KubeObject = {
      apiVersion: CHAOS_API,
      kind: 'Schedule',
      metadata: {
        name: experiment.name,
        namespace,
        labels: platformLabels(model, CHAOS_EXPERIMENTS_COMPONENT),
        annotations: { [SLO_ANNOTATION]: `${experiment.tenant}/${experiment.service}/${experiment.slo}`, [SCENARIO_ANNOTATION]: experiment.scenario },
      },
      spec: { schedule: cron(experiment), concurrencyPolicy: 'Forbid', historyLimit: 4, startingDeadlineSeconds: 600, type, [field]: experimentSpec(model, experiment) },
    };
    return { path: `platform/${CHAOS_EXPERIMENTS_COMPONENT}/${namespace}/schedule-${experiment.name}.yaml`, source: experiment.modelPath, object };
  });
