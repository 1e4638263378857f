// What an environment runs: the image digests of each service's workloads in rendered/<env>/, the
// manifests Argo CD syncs (not the images.ts pin, which may not be rendered and merged yet).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { environmentResources, LABEL_NAME } from '../diff/resources.ts';
import { listFiles } from '../../render/tree-writer.ts';

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job', 'Rollout']);

/** Every `image` of every container list inside `value`. */
function containerImages(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) containerImages(item, out);
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if ((key === 'containers' || key === 'initContainers') && Array.isArray(child)) {
        for (const container of child) if (typeof container?.image === 'string') out.push(container.image);
      } else containerImages(child, out);
    }
  }
  return out;
}

/** Service name → digests its workloads run in rendered/<env>/ under `repo` (services with no workload are absent). */
export function runningDigests(repo: string, env: string): Map<string, Set<string>> {
  const dir = join(repo, 'rendered', env);
  const files = new Map(listFiles(dir).map((path) => [path, readFileSync(join(dir, path), 'utf8')]));
  const running = new Map<string, Set<string>>();
  for (const { object } of environmentResources({ env, tier: '', files, waivers: [] }, `rendered/${env}`).values()) {
    if (!WORKLOAD_KINDS.has(object.kind)) continue;
    const service = object.metadata.labels?.[LABEL_NAME] ?? object.metadata.name;
    const digests = running.get(service) ?? new Set<string>();
    for (const image of containerImages(object.spec)) {
      const at = image.indexOf('@');
      if (at !== -1) digests.add(image.slice(at + 1));
    }
    running.set(service, digests);
  }
  return running;
}
