// Observability: every exporter's component is one the platform declares (with the cross-cutting checks, so a
// removed component is reported together with everything else that needed it), and Prometheus' size bound fits
// on its volume.
import type { LoadedModel } from '../loaded.ts';
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
  return problems;
}
