// Facts about Secrets that the loader and the generators share: the component that renders the secret
// store, the path convention of values in AWS Secrets Manager, and Go durations for External Secrets.
import type { LoadedModel } from './loaded.ts';
import { parseDuration } from './quantities.ts';

/** The component (model/components.ts) whose Application syncs `platform/secrets/`. */
export const SECRETS_COMPONENT = 'secrets';
/** Namespace External Secrets runs in; its IRSA service account lives there. */
export const EXTERNAL_SECRETS_NAMESPACE = 'external-secrets';

/**
 * Where a Secret's value lives in AWS Secrets Manager: `<platform>/<environment>/<namespace>/<secret>`,
 * one JSON object per Secret whose properties are the Secret's keys. The one place the convention is written.
 */
export function remoteKey(model: LoadedModel, namespace: string, secret: string): string {
  return `${model.platform.name}/${model.environment.name}/${namespace}/${secret}`;
}

/** A model duration (`90d`) as the Go duration External Secrets reads (`2160h`). */
export function goDuration(duration: string): string {
  const ms = parseDuration(duration);
  if (ms === undefined) throw new Error(`not a duration: ${duration}`);
  return ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`;
}
