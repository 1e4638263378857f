import { docs } from '../../fixtures/builders.ts';
import { perDocument, type Rule } from '../../lib/rule.ts';

export const argoApp = (project: string, syncPolicy: object) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'team', namespace: 'argocd' },
  spec: { project, source: { repoURL: 'https://git.example.com/platform.git', path: 'rendered/prod/tenants/team', targetRevision: 'main' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'team' }, syncPolicy },
});
const auto = { automated: { prune: true, selfHeal: true } };

export const rule: Rule = {
  id: 'platform/argocd-project',
  ruleset: 'platform',
  severity: 'error',
  title: 'Argo CD Applications never use the default project',
  rationale: 'The default project may deploy anything anywhere; a tenant project limits sources, destinations and kinds.',
  fix: 'Set spec.project to the tenant\'s or the platform\'s AppProject.',
  kyverno: { ciOnly: 'Applications are created from Git only; the Argo CD API is not open to tenants' },
  fixtures: { pass: docs(argoApp('team', auto)), fail: docs(argoApp('default', auto)), failPath: 'spec.project' },
  check: perDocument((doc) => {
    if (doc.data.kind !== 'Application' || !String(doc.data.apiVersion).startsWith('argoproj.io/')) return [];
    const project = (doc.data.spec as { project?: string } | undefined)?.project;
    return project && project !== 'default' ? [] : [{ path: ['spec', 'project'], message: `Application ${doc.data.metadata?.name} uses ${project ? 'the default project' : 'no project'}` }];
  }),
};
