import { podControllers } from '../../lib/kyverno.ts';
import { containerName } from '../../lib/pss.ts';
import { perDocument, type Rule } from '../../lib/rule.ts';
import { containersOf, podOf } from '../../lib/workloads.ts';

export const rule: Rule = {
  id: 'best-practices/resources',
  ruleset: 'best-practices',
  severity: 'error',
  title: 'Containers set CPU and memory requests and limits',
  rationale: 'Requests make scheduling and autoscaling work; limits stop one container from starving its neighbours or the node.',
  fix: 'Set resources.requests.cpu, resources.requests.memory, resources.limits.cpu and resources.limits.memory (in the model: a resource profile).',
  kyverno: {
    policy: 'require-resource-limits',
    render: () =>
      podControllers({
        name: 'resource-requests-and-limits',
        message: 'Containers must set CPU and memory requests and limits (policy best-practices/resources).',
        pattern: {
          spec: {
            '=(initContainers)': [{ resources: { requests: { cpu: '?*', memory: '?*' }, limits: { cpu: '?*', memory: '?*' } } }],
            containers: [{ resources: { requests: { cpu: '?*', memory: '?*' }, limits: { cpu: '?*', memory: '?*' } } }],
          },
        },
      }),
  },
  check: perDocument((doc) => {
    const pod = podOf(doc);
    if (!pod) return [];
    // Ephemeral (debug) containers cannot set resources.
    return containersOf(pod)
      .filter((c) => c.type !== 'ephemeralContainers')
      .flatMap((c) =>
        (['requests', 'limits'] as const).flatMap((k) =>
          (['cpu', 'memory'] as const)
            .filter((r) => c.c.resources?.[k]?.[r] === undefined)
            .map((r) => ({ path: [...c.path, 'resources', k, r], message: `${containerName(c)} sets no ${r} ${k.replace(/s$/, '')}` })),
        ),
      );
  }),
};
