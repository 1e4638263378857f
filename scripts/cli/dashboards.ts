// The dashboards of every model the repository renders (each environment of the declared model and of the
// generators' tiny test model), filed by dashboardsKey(): what `npm run dashboards` writes to dashboards.json.
import type { LoadedModel } from '../../model/loaded.ts';
import { environmentNames, loadModel } from '../../render/sources.ts';
import { TINY_ENVS, loadTiny } from '../../generators/testdata/tiny-model.ts';
import { buildDashboards, dashboardsKey } from '../../generators/observability/dashboards/build.ts';

export function allDashboards(): Record<string, Record<string, unknown>> {
  const models: LoadedModel[] = [...environmentNames().map((env) => loadModel(env)), ...TINY_ENVS.map((env) => loadTiny(env))];
  const out: Record<string, Record<string, unknown>> = {};
  for (const model of models) out[dashboardsKey(model)] ??= buildDashboards(model);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}
