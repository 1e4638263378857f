// Observability: every exporter's component is one the platform declares (with the cross-cutting checks, so a
// removed component is reported together with everything else that needed it), Prometheus' size bound fits on
// its volume, and a service that autoscales on requests per second has the Prometheus Adapter to serve the metric.
import type { LoadedModel } from '../loaded.ts';
import { PROMETHEUS_ADAPTER_COMPONENT } from '../platform-components.ts';
import { type Problem, unknownNameHint } from '../problems.ts';
import { parseMemory } from '../quantities.ts';

export function observabilityChecks(model: LoadedModel): Problem[] {
  const components = model.components.map((c) => c.name);
  const problems: Problem[] = model.observability.exporters
    .filter((e) => e.component !== null && !components.includes(e.component))
    .map((e) => ({ path: ['observability', 'exporters', e.name, 'component'], message: `unknown component "${e.component}"`, hint: unknownNameHint(e.component!, components) }));
  const prometheus = model.environment.monitoring?.prometheus;
  if (prometheus) {
    const [size, volume] = [parseMemory(prometheus.retentionSize), parseMemory(prometheus.storage)];
    if (size !== undefined && volume !== undefined && size > volume) {
      problems.push({
        path: ['environments', model.environment.name, 'monitoring', 'prometheus', 'retentionSize'],
        message: `retentionSize ${prometheus.retentionSize} is larger than the Prometheus volume (storage ${prometheus.storage}): the disk would fill before the size bound expires a block`,
        hint: `use at most ${prometheus.storage}, better about four fifths of it to leave room for compaction; or raise storage`,
      });
    }
  }
  if (!components.includes(PROMETHEUS_ADAPTER_COMPONENT)) {
    for (const s of model.services) {
      if (s.scaling.mode !== 'autoscale' || s.scaling.requestsPerSecond === null) continue;
      problems.push({
        path: ['tenants', s.tenant, 'services', s.name, 'scaling', 'autoscale', 'requestsPerSecond'],
        message: `"${s.name}" autoscales on requests per second, but no "${PROMETHEUS_ADAPTER_COMPONENT}" component serves the custom metrics API: its HPA could not read the metric`,
        hint: `add the ${PROMETHEUS_ADAPTER_COMPONENT} component (model/components.ts), or remove requestsPerSecond`,
      });
    }
  }
  return problems;
}
