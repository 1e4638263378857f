import { DIGEST, imagesOf } from '../../lib/images.ts';
import { containerName } from '../../lib/pss.ts';
import { perDocument, type Rule } from '../../lib/rule.ts';

export const rule: Rule = {
  id: 'best-practices/image-digest',
  ruleset: 'best-practices',
  severity: 'error',
  title: 'Images are pinned by digest',
  rationale: 'Tags can be moved; a digest names exactly the bytes that were tested, signed and promoted.',
  fix: 'Reference the image as `repository@sha256:<digest>` (in the model: the environment\'s `images`).',
  kyverno: { ciOnly: 'enforced in the cluster by platform/signed-images (verifyImages requires a digest)' },
  check: perDocument((doc) =>
    imagesOf(doc)
      .filter((c) => !c.image.digest || !DIGEST.test(c.image.digest))
      .map((c) => ({ path: [...c.path, 'image'], message: `${containerName(c)} image ${c.image.reference} is not pinned by a sha256 digest` })),
  ),
};
