import type { Rule } from '../../lib/rule.ts';
import { perDocument } from '../../lib/rule.ts';

/** Chaos Mesh's API group: every experiment, schedule and workflow. */
export const CHAOS_MESH_GROUP = 'chaos-mesh.org';

export const rule: Rule = {
  id: 'platform/no-chaos-in-production',
  ruleset: 'platform',
  severity: 'error',
  title: 'No chaos experiment is rendered for a production environment',
  rationale: 'Chaos experiments break things on purpose to prove the SLOs hold; they run where failures cost nothing (staging), never against players.',
  fix: 'Remove the production environment from the experiment in model/chaos.ts (the loader also refuses environments that do not declare chaos).',
  kyverno: { ciOnly: 'production clusters do not install Chaos Mesh, so its kinds do not exist there for admission to see' },
  check: perDocument((doc, env) => {
    const apiVersion = String(doc.data.apiVersion ?? '');
    if (env.tier !== 'production' || !apiVersion.startsWith(`${CHAOS_MESH_GROUP}/`)) return [];
    return [{ path: ['apiVersion'], message: `${doc.data.kind} ${doc.data.metadata?.name} injects chaos in production environment ${env.name ?? '(unnamed)'}` }];
  }),
};
