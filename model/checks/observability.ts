// Observability: every exporter's component is one the platform declares (with the cross-cutting checks, so a
// removed component is reported together with everything else that needed it).
import type { LoadedModel } from '../loaded.ts';
import { type Problem, unknownNameHint } from '../problems.ts';

export function observabilityChecks(model: LoadedModel): Problem[] {
  const components = model.components.map((c) => c.name);
  return model.observability.exporters
    .filter((e) => e.component !== null && !components.includes(e.component))
    .map((e) => ({ path: ['observability', 'exporters', e.name, 'component'], message: `unknown component "${e.component}"`, hint: unknownNameHint(e.component!, components) }));
}
