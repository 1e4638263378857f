import { PLACEHOLDER_DIGESTS } from '../../../model/placeholder-digests.ts';
import { imagesOf, parseImage } from '../../lib/images.ts';
import { containerName } from '../../lib/pss.ts';
import { perDocument, type Rule } from '../../lib/rule.ts';

const placeholders = new Map(PLACEHOLDER_DIGESTS.map((p) => [p.digest, p]));

/** Image references of a document: its pod's containers, and a CloudNativePG Cluster's operand image. */
function references(doc: Parameters<Parameters<typeof perDocument>[0]>[0]): Array<{ path: Array<string | number>; what: string; reference: string }> {
  const out = imagesOf(doc).map((c) => ({ path: [...c.path, 'image'], what: containerName(c), reference: c.image.reference }));
  const d = doc.data as { apiVersion?: string; kind?: string; spec?: { imageName?: unknown } };
  if (d.kind === 'Cluster' && String(d.apiVersion).startsWith('postgresql.cnpg.io/') && typeof d.spec?.imageName === 'string') {
    out.push({ path: ['spec', 'imageName'], what: 'Cluster operand', reference: d.spec.imageName });
  }
  return out;
}

export const rule: Rule = {
  id: 'platform/no-placeholder-digest',
  ruleset: 'platform',
  severity: 'error',
  title: 'No image is pinned by a placeholder digest in production',
  rationale: 'A placeholder digest names no real image: the pod cannot pull it, or worse, the digest is later filled in by whatever the tag points to then, untested. Elsewhere it is a known gap; in production it must be replaced or explicitly waived.',
  fix: 'Replace the digest with the one the mirror records for the tag (crane digest <image:tag>), and remove it from model/placeholder-digests.ts.',
  kyverno: { ciOnly: 'a placeholder is a fact of the repository (model/placeholder-digests.ts), not of the cluster; admission verifies image signatures by digest (platform/signed-images), which an image that does not exist fails anyway' },
  check: perDocument((doc, env) => {
    if (env.tier !== 'production') return [];
    return references(doc).flatMap((r) => {
      const p = placeholders.get(parseImage(r.reference).digest ?? '');
      return p ? [{ path: r.path, message: `${r.what} image ${r.reference} is pinned by a placeholder digest (model/placeholder-digests.ts): replace it with ${p.replaceWith}` }] : [];
    });
  }),
};
