// Datastores: the platform's backing services as services see them.
import type { LoadedDatastore } from '../loaded.ts';
import type { LoadContext } from './context.ts';
import { sortByName } from './context.ts';

export function loadDatastores(context: LoadContext): LoadedDatastore[] {
  return sortByName(Object.entries(context.platform.datastores).map(([name, d]) => ({
    name, description: d.description, engine: d.engine, namespace: d.namespace, host: d.host, port: d.port, database: d.database ?? null, podSelector: { ...d.podSelector }, modelPath: `datastores.${name}`,
  })));
}
