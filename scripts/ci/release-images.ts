// The services the release workflow builds, as the JSON its matrix reads: every npm workspace under apps/
// except the shared library, with the image repository the model declares for it (dev's model; the
// repository is the same in every environment, only digests differ).
//
//   node scripts/ci/release-images.ts   →   [{"service":"analytics-api","repository":"registry…/analytics-api","registry":"registry…"}, …]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel } from '../../render/sources.ts';

export const SHARED_LIBRARY = 'apps/lib';

export interface ReleaseImage {
  service: string;
  repository: string;
  registry: string;
}

export function releaseImages(repo = join(import.meta.dirname, '..', '..')): ReleaseImage[] {
  const { workspaces } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { workspaces: string[] };
  const model = loadModel('dev');
  const problems: string[] = [];
  const images = workspaces.filter((w) => w !== SHARED_LIBRARY).map((workspace) => {
    const service = model.services.find((s) => `apps/${s.name}` === workspace);
    if (!service) {
      problems.push(`workspace ${workspace} is no service of the model (model/names.ts): name the folder after the service it builds`);
      return null;
    }
    const repository = service.image.repository;
    return { service: service.name, repository, registry: repository.split('/')[0] };
  });
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return images.filter((i): i is ReleaseImage => i !== null).sort((a, b) => (a.service < b.service ? -1 : 1));
}

if (import.meta.main) process.stdout.write(`${JSON.stringify(releaseImages())}\n`);
