// What the dashboards depend on in the model, and the key the built dashboards are filed under in
// dashboards.json: the render looks its model's dashboards up by this key, so a model whose dashboards were
// never built (or changed since) fails with the command to run instead of rendering someone else's.
import { createHash } from 'node:crypto';
import type { LoadedModel } from '../../../model/loaded.ts';

export function dashboardInputs(model: LoadedModel) {
  return {
    kafkaNamespace: model.environment.kafka.namespace,
    sloServices: model.services.filter((s) => s.slos.length > 0).map((s) => ({ name: s.name, tenant: s.tenant, slos: s.slos.map((o) => ({ name: o.name, objective: o.objective, window: o.window })) })),
  };
}

/** A short digest of dashboardInputs(model). */
export function dashboardsKey(model: LoadedModel): string {
  return createHash('sha256').update(JSON.stringify(dashboardInputs(model))).digest('hex').slice(0, 16);
}
