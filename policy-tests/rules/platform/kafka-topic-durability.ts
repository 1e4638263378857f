import { perDocument, type Rule } from '../../lib/rule.ts';
import type { Obj } from '../../lib/workloads.ts';

export const rule: Rule = {
  id: 'platform/kafka-topic-durability',
  ruleset: 'platform',
  severity: 'error',
  title: 'Production Kafka topics have replication ≥ 3 and min.insync.replicas ≥ 2',
  rationale: 'With fewer replicas, or a single in-sync replica, losing one broker loses acknowledged records or stops writes.',
  fix: 'Set spec.replicas: 3 and config min.insync.replicas: 2 (in the model: the topic or the environment kafka.replication / minInsyncReplicas).',
  kyverno: { ciOnly: 'depends on the environment tier, which the cluster objects do not carry' },
  check: perDocument((doc, env) => {
    if (doc.data.kind !== 'KafkaTopic' || env.tier !== 'production') return [];
    const spec = (doc.data.spec ?? {}) as Obj;
    const out = [];
    if (typeof spec.replicas !== 'number' || spec.replicas < 3) out.push({ path: ['spec', 'replicas'], message: `replication factor ${spec.replicas ?? '(broker default)'} is below 3` });
    const minIsr = Number(spec.config?.['min.insync.replicas']);
    if (!(minIsr >= 2)) out.push({ path: ['spec', 'config', 'min.insync.replicas'], message: `min.insync.replicas ${spec.config?.['min.insync.replicas'] ?? '(broker default)'} is below 2` });
    return out;
  }),
};
