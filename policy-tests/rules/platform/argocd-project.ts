import { perDocument, type Rule } from '../../lib/rule.ts';

export const rule: Rule = {
  id: 'platform/argocd-project',
  ruleset: 'platform',
  severity: 'error',
  title: 'Argo CD Applications never use the default project',
  rationale: 'The default project may deploy anything anywhere; a tenant project limits sources, destinations and kinds.',
  fix: 'Set spec.project to the tenant\'s or the platform\'s AppProject.',
  kyverno: { ciOnly: 'Applications are created from Git only; the Argo CD API is not open to tenants' },
  check: perDocument((doc) => {
    if (doc.data.kind !== 'Application' || !String(doc.data.apiVersion).startsWith('argoproj.io/')) return [];
    const project = (doc.data.spec as { project?: string } | undefined)?.project;
    return project && project !== 'default' ? [] : [{ path: ['spec', 'project'], message: `Application ${doc.data.metadata?.name} uses ${project ? 'the default project' : 'no project'}` }];
  }),
};
