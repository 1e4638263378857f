import { DIGEST, imagesOf } from '../../lib/images.ts';
import { containerName } from '../../lib/pss.ts';
import { perDocument, type Rule } from '../../lib/rule.ts';

/** Sigstore's public transparency log, where keyless signatures and attestations are recorded. */
export const REKOR_URL = 'https://rekor.sigstore.dev';
/** The predicate type of the SPDX SBOM attestation (`cosign attest --type spdxjson`). */
export const SBOM_PREDICATE_TYPE = 'https://spdx.dev/Document';

export const rule: Rule = {
  id: 'platform/signed-images',
  ruleset: 'platform',
  severity: 'error',
  title: "Images from the platform's registry are cosign-signed and referenced by digest",
  rationale: 'The keyless signature proves the image was built by the release workflow on main (its OIDC identity, logged in Rekor) and the attested SBOM says what is in it; verifying both needs the exact digest, which CI checks and Kyverno verifies at admission.',
  fix: 'Reference the image by digest; images are built, scanned, signed and attested by .github/workflows/release.yml on main.',
  kyverno: {
    policy: 'verify-image-signatures',
    render: ({ approvedRegistries, imageSigning }) => ({
      validationFailureAction: 'Enforce',
      background: false,
      webhookTimeoutSeconds: 30,
      rules: [
        {
          name: 'cosign-signature',
          match: { any: [{ resources: { kinds: ['Pod'] } }] },
          verifyImages: [
            {
              // The platform's registry: the first approved registry.
              imageReferences: [`${approvedRegistries[0]}*`],
              type: 'Cosign',
              mutateDigest: false,
              verifyDigest: true,
              required: true,
              // Exactly the release workflow's identity: its OIDC issuer and certificate subject (model policies.imageSigning).
              attestors: [{ count: 1, entries: [{ keyless: { issuer: imageSigning.issuer, subject: imageSigning.subject, rekor: { url: REKOR_URL } } }] }],
              // The SBOM the same workflow attested.
              attestations: [{ type: SBOM_PREDICATE_TYPE, attestors: [{ count: 1, entries: [{ keyless: { issuer: imageSigning.issuer, subject: imageSigning.subject, rekor: { url: REKOR_URL } } }] }] }],
            },
          ],
        },
      ],
    }),
  },
  check: perDocument((doc, env) => {
    const platform = env.approvedRegistries[0];
    if (!platform) return [];
    return imagesOf(doc)
      .filter((c) => c.image.reference.startsWith(platform) && !(c.image.digest && DIGEST.test(c.image.digest)))
      .map((c) => ({ path: [...c.path, 'image'], message: `${containerName(c)} image ${c.image.reference} from ${platform} has no digest, so its signature cannot be verified` }));
  }),
};
