// Name → entry lookups over the loaded model, built once per model (generators run per service,
// so linear scans would make rendering quadratic in the number of services).
import type { LoadedDatastore, LoadedModel, LoadedService } from '../../model/loaded.ts';

const services = new WeakMap<LoadedModel, Map<string, LoadedService>>();
const datastores = new WeakMap<LoadedModel, Map<string, LoadedDatastore>>();

function indexed<T extends { name: string }>(cache: WeakMap<LoadedModel, Map<string, T>>, model: LoadedModel, items: readonly T[]): Map<string, T> {
  let index = cache.get(model);
  if (!index) {
    index = new Map(items.map((item) => [item.name, item]));
    cache.set(model, index);
  }
  return index;
}

export function serviceNamed(model: LoadedModel, name: string): LoadedService {
  const service = indexed(services, model, model.services).get(name);
  if (!service) throw new Error(`no service named "${name}" in the loaded model`);
  return service;
}

export function datastoreNamed(model: LoadedModel, name: string): LoadedDatastore {
  const datastore = indexed(datastores, model, model.datastores).get(name);
  if (!datastore) throw new Error(`no datastore named "${name}" in the loaded model`);
  return datastore;
}
