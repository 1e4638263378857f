// Secrets: the refresh and rotation defaults, the environment's secret store, and each service's
// Secret-backed variables with their rotation (one rotation per Secret).
import type { LoadedSecrets } from '../loaded.ts';
import type { PathSegment } from '../problems.ts';
import type { Duration, SecretEnv } from '../spec.ts';
import { type LoadContext, report } from './context.ts';
import { DEFAULT_SECRET_REFRESH_INTERVAL, DEFAULT_SECRET_ROTATION } from './defaults.ts';

export function secretRotation(context: LoadContext): string {
  return context.platform.secrets?.rotation ?? DEFAULT_SECRET_ROTATION;
}

export function loadSecrets(context: LoadContext): LoadedSecrets {
  const { env, platform } = context;
  return {
    refreshInterval: platform.secrets?.refreshInterval ?? DEFAULT_SECRET_REFRESH_INTERVAL,
    rotation: secretRotation(context),
    store: { provider: 'aws-secrets-manager', region: env.cluster.region, roleArn: env.secretStore.roleArn },
  };
}

/** A service's secretEnv with rotations applied; two entries of one Secret must agree on its rotation. */
export function loadSecretEnv(context: LoadContext, path: PathSegment[], entries: SecretEnv[]): Array<Required<SecretEnv>> {
  const rotationOf = new Map<string, string>();
  return entries.map((entry, i) => {
    const rotation = (entry.rotation ?? secretRotation(context)) as Duration;
    const other = rotationOf.get(entry.secret);
    if (other !== undefined && other !== rotation) {
      report(context, [...path, i, 'rotation'], `Secret "${entry.secret}" is rotated every ${other} by an earlier entry, and every ${rotation} here`, 'give every entry of one Secret the same rotation');
    }
    rotationOf.set(entry.secret, rotation);
    return { ...entry, rotation };
  });
}
