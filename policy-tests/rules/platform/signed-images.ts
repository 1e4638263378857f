import { DIGEST, imagesOf } from '../../lib/images.ts';
import { containerName } from '../../lib/pss.ts';
import { perDocument, type Rule } from '../../lib/rule.ts';

/** The Secret (in Kyverno's namespace, provisioned by External Secrets) holding the platform's cosign public key. */
export const COSIGN_KEY_SECRET = 'cosign-public-key';

export const rule: Rule = {
  id: 'platform/signed-images',
  ruleset: 'platform',
  severity: 'error',
  title: "Images from the platform's registry are cosign-signed and referenced by digest",
  rationale: 'The signature proves the image was built by the platform pipeline; verifying it needs the exact digest, which CI checks and Kyverno verifies at admission.',
  fix: 'Reference the image by digest; images are signed by the release pipeline with the platform key.',
  kyverno: {
    policy: 'verify-image-signatures',
    render: ({ approvedRegistries, kyvernoNamespace }) => ({
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
              attestors: [{ count: 1, entries: [{ keys: { secret: { name: COSIGN_KEY_SECRET, namespace: kyvernoNamespace }, rekor: { url: 'https://rekor.sigstore.dev' } } }] }],
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
