// The envelope every per-service object shares: path under the tenant's folder, name, namespace,
// the service's labels and the model entry it comes from.
import type { LoadedModel, LoadedService } from '../../model/loaded.ts';
import { serviceLabels, tenantPath } from '../core/labels.ts';
import type { OutputFile } from '../core/types.ts';

export interface ServiceObjectOptions {
  /** Object name; defaults to the service name. */
  name?: string;
  /** Appended to the service's model path in the file header, e.g. `.scaling`. */
  sourceSuffix?: string;
  annotations?: Record<string, string>;
}

export function serviceObject(
  model: LoadedModel,
  service: LoadedService,
  apiVersion: string,
  kind: string,
  body: Record<string, unknown>,
  options: ServiceObjectOptions = {},
): OutputFile {
  const name = options.name ?? service.name;
  return {
    path: tenantPath(service, kind, name),
    source: `${service.modelPath}${options.sourceSuffix ?? ''}`,
    object: {
      apiVersion,
      kind,
      metadata: { name, namespace: service.namespace, labels: serviceLabels(model, service), ...(options.annotations ? { annotations: options.annotations } : {}) },
      ...body,
    },
  };
}
