// Argo CD AppProject roles: a tenant's owners (its SSO groups) may get and sync the tenant's own Applications.
import type { IAppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import type { LoadedModel } from '../../model/loaded.ts';

export const OWNERS_ROLE = 'owners';
/** What owners may do with their project's Applications. */
export const OWNER_ACTIONS = ['get', 'sync'] as const;

type Roles = NonNullable<NonNullable<IAppProject['spec']>['roles']>;

export function appProjectRoles(model: LoadedModel, tenant: string, project: string): Roles {
  const groups = model.environment.access.tenants.find((t) => t.tenant === tenant)?.groups ?? [];
  return [{
    name: OWNERS_ROLE,
    description: `The owners of ${tenant}: get and sync its Applications.`,
    groups: [...groups],
    policies: OWNER_ACTIONS.map((action) => `p, proj:${project}:${OWNERS_ROLE}, applications, ${action}, ${project}/*, allow`),
  }];
}
