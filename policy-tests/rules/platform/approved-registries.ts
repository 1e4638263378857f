import { imagesOf } from '../../lib/images.ts';
import { podControllers } from '../../lib/kyverno.ts';
import { containerName } from '../../lib/pss.ts';
import { perDocument, type Rule } from '../../lib/rule.ts';

export const rule: Rule = {
  id: 'platform/approved-registries',
  ruleset: 'platform',
  severity: 'error',
  title: 'Images come only from approved registries',
  rationale: 'Approved registries are scanned, mirrored and covered by signature verification; anything else is unreviewed code.',
  fix: 'Push the image to an approved registry (model policies.approvedRegistries) and reference it there.',
  kyverno: {
    policy: 'restrict-image-registries',
    render: ({ approvedRegistries }) => {
      const allowed = approvedRegistries.map((r) => `${r}*`).join(' | ');
      return podControllers({
        name: 'approved-registries',
        message: `Images must come from an approved registry: ${approvedRegistries.join(', ')} (policy platform/approved-registries).`,
        pattern: {
          spec: {
            '=(ephemeralContainers)': [{ image: allowed }],
            '=(initContainers)': [{ image: allowed }],
            containers: [{ image: allowed }],
          },
        },
      });
    },
  },
  check: perDocument((doc, env) =>
    imagesOf(doc)
      .filter((c) => !env.approvedRegistries.some((r) => c.image.reference.startsWith(r)))
      .map((c) => ({
        path: [...c.path, 'image'],
        message: `${containerName(c)} image ${c.image.reference} is not from an approved registry (${env.approvedRegistries.join(', ') || 'none configured'})`,
      })),
  ),
};
