// The envelope every per-service object shares: path under the tenant's folder, name, namespace,
// the service's labels and the model entry it comes from.
import type { LoadedModel, LoadedService } from '../../model/loaded.ts';
import { serviceLabels } from '../core/labels.ts';
import { tenantPath } from '../core/paths.ts';
import { type Built, type CoreObject, typedObject } from '../core/typed-object.ts';
import type { OutputFile } from '../core/types.ts';

export interface ServiceObjectOptions {
  /** Object name; defaults to the service name. */
  name?: string;
  /** Appended to the service's model path in the file header, e.g. `.scaling`. */
  sourceSuffix?: string;
  annotations?: Record<string, string>;
}

/** `serviceObject<Deployment>(model, service, 'apps/v1', 'Deployment', { spec })`: `body` is checked against the kind's type. */
export function serviceObject<T extends CoreObject>(
  model: LoadedModel,
  service: LoadedService,
  apiVersion: NonNullable<T['apiVersion']>,
  kind: NonNullable<T['kind']>,
  body: Omit<T, 'apiVersion' | 'kind' | 'metadata'>,
  options: ServiceObjectOptions = {},
): OutputFile {
  const name = options.name ?? service.name;
  return {
    path: tenantPath(service, kind, name),
    source: `${service.modelPath}${options.sourceSuffix ?? ''}`,
    object: typedObject<T>({
      apiVersion,
      kind,
      metadata: { name, namespace: service.namespace, labels: serviceLabels(model, service), ...(options.annotations ? { annotations: options.annotations } : {}) },
      ...body,
    } as Built<T>),
  };
}
