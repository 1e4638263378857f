import type { Rule, Violation } from '../../lib/rule.ts';
import type { Obj, Path } from '../../lib/workloads.ts';

export const rule: Rule = {
  id: 'platform/external-secret-store',
  ruleset: 'platform',
  severity: 'error',
  title: 'Every ExternalSecret names a rendered store: a SecretStore in its namespace or a ClusterSecretStore',
  rationale: 'An ExternalSecret whose store does not exist never creates its Secret, and every pod that reads the Secret waits.',
  fix: 'Set spec.secretStoreRef to the environment\'s ClusterSecretStore (kind: ClusterSecretStore), or render the SecretStore in the ExternalSecret\'s namespace.',
  kyverno: { ciOnly: 'the store is created by the same sync, often in an earlier wave; admission of one ExternalSecret cannot see the rendered set' },
  check: (ctx) => {
    const isEso = (kind: string) => (d: { data: Obj }) => d.data.kind === kind && String(d.data.apiVersion).startsWith('external-secrets.io/');
    const clusterStores = new Set(ctx.docs.filter(isEso('ClusterSecretStore')).map((d) => String(d.data.metadata?.name)));
    const stores = new Set(ctx.docs.filter(isEso('SecretStore')).map((d) => `${d.data.metadata?.namespace ?? 'default'}/${d.data.metadata?.name}`));
    const out: Violation[] = [];
    for (const doc of ctx.docs.filter(isEso('ExternalSecret'))) {
      const spec = (doc.data.spec ?? {}) as Obj;
      const ns = doc.data.metadata?.namespace ?? 'default';
      const check = (ref: Obj | undefined, path: Path) => {
        const kind = ref?.kind ?? 'SecretStore';
        if (typeof ref?.name !== 'string' || ref.name === '') return void out.push({ doc, path, message: 'the ExternalSecret names no store' });
        // Whether the store is rendered can be told only from the whole environment.
        if (!ctx.envOf(doc).complete) return;
        const exists = kind === 'ClusterSecretStore' ? clusterStores.has(ref.name) : stores.has(`${ns}/${ref.name}`);
        if (!exists) out.push({ doc, path: [...path, 'name'], message: `${kind} ${ref.name}${kind === 'ClusterSecretStore' ? '' : ` in namespace ${ns}`} is not rendered` });
      };
      // Entries read from a generator or another store need no default store.
      const needsStore = [...(spec.data ?? []), ...(spec.dataFrom ?? [])].some((d: Obj) => !d?.sourceRef);
      if (spec.secretStoreRef || needsStore) check(spec.secretStoreRef, ['spec', 'secretStoreRef']);
      (spec.data ?? []).forEach((d: Obj, i: number) => { if (d?.sourceRef?.storeRef) check(d.sourceRef.storeRef, ['spec', 'data', i, 'sourceRef', 'storeRef']); });
      (spec.dataFrom ?? []).forEach((d: Obj, i: number) => { if (d?.sourceRef?.storeRef) check(d.sourceRef.storeRef, ['spec', 'dataFrom', i, 'sourceRef', 'storeRef']); });
    }
    return out;
  },
};
