import { imagesOf } from '../../lib/images.ts';
import { containerName } from '../../lib/pss.ts';
import { perDocument, type Rule } from '../../lib/rule.ts';

export const rule: Rule = {
  id: 'best-practices/image-tag',
  ruleset: 'best-practices',
  severity: 'error',
  title: 'Images name a version: no `latest`, no missing tag (unless pinned by digest)',
  rationale: '`latest` or no tag means every node may run a different build, and a rollback restores nothing.',
  fix: 'Reference the image by digest (`repo@sha256:...`) or at least by an immutable version tag.',
  kyverno: { ciOnly: 'covered in the cluster by signature verification, which requires a digest (platform/signed-images)' },
  check: perDocument((doc) =>
    imagesOf(doc).flatMap((c) => {
      if (c.image.tag === 'latest') return [{ path: [...c.path, 'image'], message: `${containerName(c)} uses the latest tag (${c.image.reference})` }];
      if (c.image.tag === null && c.image.digest === null) return [{ path: [...c.path, 'image'], message: `${containerName(c)} image ${c.image.reference} has no tag or digest (means latest)` }];
      return [];
    }),
  ),
};
