import type { Rule, Violation } from '../../lib/rule.ts';
import type { Obj } from '../../lib/workloads.ts';

const isCnpg = (kind: string) => (d: { data: Obj }) => d.data.kind === kind && String(d.data.apiVersion).startsWith('postgresql.cnpg.io/');

export const rule: Rule = {
  id: 'platform/database-backups',
  ruleset: 'platform',
  severity: 'error',
  title: 'Production databases (CloudNativePG clusters) run ≥ 3 instances, archive WAL and have a scheduled base backup',
  rationale: 'Three instances survive the loss of a node or zone without data loss; point-in-time recovery needs both a base backup and every WAL segment since, so a backup schedule without WAL archiving (or the reverse) cannot restore to a moment.',
  fix: 'Set spec.instances: 3, configure WAL archiving (spec.backup.barmanObjectStore, or a plugin with isWALArchiver: true) and render a ScheduledBackup whose spec.cluster.name is the cluster (in the model: the datastore\'s instances and backup per environment).',
  kyverno: { ciOnly: 'depends on the environment tier, which the cluster objects do not carry, and on a second object (the ScheduledBackup)' },
  check: (ctx) => {
    const schedules = ctx.docs.filter(isCnpg('ScheduledBackup')).filter((d) => (d.data.spec as Obj | undefined)?.suspend !== true);
    const out: Violation[] = [];
    for (const doc of ctx.docs.filter(isCnpg('Cluster'))) {
      if (ctx.envOf(doc).tier !== 'production') continue;
      const spec = (doc.data.spec ?? {}) as Obj;
      const name = String(doc.data.metadata?.name);
      const ns = doc.data.metadata?.namespace ?? 'default';
      if (!(Number(spec.instances) >= 3)) out.push({ doc, path: ['spec', 'instances'], message: `database ${name} runs ${spec.instances ?? 1} instance(s), fewer than 3` });
      const archives = !!spec.backup?.barmanObjectStore?.destinationPath || (spec.plugins ?? []).some((p: Obj) => p?.isWALArchiver === true && p?.enabled !== false);
      if (!archives) out.push({ doc, path: ['spec', 'backup'], message: `database ${name} archives no WAL, so it cannot be recovered to a point in time` });
      const scheduled = schedules.some((s) => (s.data.metadata?.namespace ?? 'default') === ns && (s.data.spec as Obj | undefined)?.cluster?.name === name);
      // A ScheduledBackup may be in any file of the environment: only a run over all of rendered/<env>/ can tell it is missing.
      if (!scheduled && ctx.envOf(doc).complete) out.push({ doc, path: ['metadata', 'name'], message: `database ${name} has no (unsuspended) ScheduledBackup in namespace ${ns}` });
    }
    return out;
  },
};
