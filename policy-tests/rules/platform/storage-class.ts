import type { Doc } from '../../lib/documents.ts';
import type { Rule, Violation } from '../../lib/rule.ts';
import type { Obj, Path } from '../../lib/workloads.ts';

/** Every place a rendered object asks for persistent storage, with the class it names (undefined: none). */
export function storageRequests(doc: Doc): Array<{ path: Path; storageClass: unknown }> {
  const data = doc.data as Obj;
  const api = String(data.apiVersion ?? '');
  const out: Array<{ path: Path; storageClass: unknown }> = [];
  // Strimzi storage: persistent-claim, or jbod volumes of it; ephemeral storage asks for none.
  const strimzi = (storage: Obj | undefined, at: Path) => {
    if (storage?.type === 'persistent-claim') out.push({ path: [...at, 'class'], storageClass: storage.class });
    if (storage?.type === 'jbod') (storage.volumes ?? []).forEach((v: Obj, i: number) => strimzi(v, [...at, 'volumes', i]));
  };
  switch (data.kind) {
    case 'PersistentVolumeClaim':
      if (api === 'v1') out.push({ path: ['spec', 'storageClassName'], storageClass: data.spec?.storageClassName });
      break;
    case 'StatefulSet':
      (data.spec?.volumeClaimTemplates ?? []).forEach((t: Obj, i: number) => out.push({ path: ['spec', 'volumeClaimTemplates', i, 'spec', 'storageClassName'], storageClass: t?.spec?.storageClassName }));
      break;
    case 'KafkaNodePool':
      if (api.startsWith('kafka.strimzi.io/')) strimzi(data.spec?.storage, ['spec', 'storage']);
      break;
    case 'Kafka':
      if (api.startsWith('kafka.strimzi.io/')) strimzi(data.spec?.kafka?.storage, ['spec', 'kafka', 'storage']);
      break;
    case 'Cluster':
      if (api.startsWith('postgresql.cnpg.io/')) {
        out.push({ path: ['spec', 'storage', 'storageClass'], storageClass: data.spec?.storage?.storageClass });
        if (data.spec?.walStorage) out.push({ path: ['spec', 'walStorage', 'storageClass'], storageClass: data.spec.walStorage.storageClass });
      }
      break;
  }
  return out;
}

export const rule: Rule = {
  id: 'platform/storage-class',
  ruleset: 'platform',
  severity: 'error',
  title: 'Every claim (PVC, volume claim template, Strimzi and CloudNativePG storage) names a StorageClass that is rendered',
  rationale: "Without a class the cluster's default decides, which may be unencrypted, not expandable or absent; a class nothing renders leaves the claim Pending forever.",
  fix: 'Name one of the rendered StorageClasses (fast-ssd, standard, archive) on the claim, in the model where the storage is declared.',
  kyverno: { ciOnly: 'the class must be one that rendered/ contains; admission sees one claim at a time, and operators create claims from their own resources' },
  check: (ctx) => {
    const classes = new Set(ctx.docs.filter((d) => d.data.kind === 'StorageClass' && String(d.data.apiVersion).startsWith('storage.k8s.io/')).map((d) => String(d.data.metadata?.name)));
    const out: Violation[] = [];
    for (const doc of ctx.docs) {
      for (const { path, storageClass } of storageRequests(doc)) {
        if (typeof storageClass === 'string' && storageClass !== '') {
          // Whether the class is rendered can be told only from the whole environment.
          if (ctx.envOf(doc).complete && !classes.has(storageClass)) {
            const message = `StorageClass ${storageClass} is not rendered${classes.size ? ` (rendered: ${[...classes].sort().join(', ')})` : ''}`;
            out.push({ doc, path, message });
          }
          continue;
        }
        out.push({ doc, path, message: "names no StorageClass: the cluster's default class would decide" });
      }
    }
    return out;
  },
};
