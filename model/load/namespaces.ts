// Namespace ownership: each namespace belongs to one tenant, and platform components never share a tenant's.
import type { LoadedComponent, LoadedTenant } from '../loaded.ts';
import { type LoadContext, report } from './context.ts';

export function checkNamespaces(context: LoadContext, tenants: LoadedTenant[], components: LoadedComponent[]): void {
  const owner = new Map<string, string>();
  for (const tenant of tenants) {
    tenant.namespaces.forEach((ns, i) => {
      const other = owner.get(ns);
      if (other) report(context, ['tenants', tenant.name, 'namespaces', i], `namespace "${ns}" is already owned by ${other}`, 'each namespace belongs to one tenant');
      owner.set(ns, `tenant ${tenant.name}`);
    });
  }
  for (const component of components) {
    const other = owner.get(component.namespace);
    if (other?.startsWith('tenant')) report(context, ['components', component.name, 'namespace'], `namespace "${component.namespace}" belongs to ${other}`, 'platform components need their own namespace');
  }
}
