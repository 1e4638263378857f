/**
 * Kafka checks on the loaded model: what Strimzi or Kafka could not apply, caught before rendering. All of
 * them are here; the schema has already checked each value on its own (counts are positive integers, storage
 * is a quantity). A setting of the environment is reported once, at the environment: topics that only
 * inherit it are not reported again. Lowering a topic's partitions is caught at render time against the
 * committed output (render/kafka-guards.ts).
 */
import { KAFKA_COMPONENT, kafkaServices, topicResourceName } from '../kafka.ts';
import type { LoadedModel, LoadedTopic } from '../loaded.ts';
import type { TopicName } from '../names.ts';
import type { PathSegment, Problem } from '../problems.ts';
import type { ModelSources } from './index.ts';

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const hostPort = /^[A-Za-z0-9.-]+:\d{1,5}$/;

export function kafkaChecks(model: LoadedModel, sources: ModelSources): Problem[] {
  const problems: Problem[] = [];
  const env = model.environment;
  const kafka = env.kafka;
  const envPath: PathSegment[] = ['environments', env.name, 'kafka'];
  /** Where a topic's replication was written, or null when it inherits the environment's. */
  const replicationPath = (topic: LoadedTopic): PathSegment[] | null => {
    if (sources.environment.topics?.[topic.name as TopicName]?.replication !== undefined) return ['environments', env.name, 'topics', topic.name, 'replication'];
    if (sources.platform.topics[topic.name as TopicName]?.replication !== undefined) return ['topics', topic.name, 'replication'];
    return null;
  };

  // The environment's sizing: replicas on distinct brokers, and a write quorum that replication can meet.
  if (kafka.replication > kafka.brokers) {
    problems.push({ path: [...envPath, 'replication'], message: `replication ${kafka.replication} is higher than the ${kafka.brokers} broker(s)`, hint: `use at most ${kafka.brokers}, or add brokers` });
  }
  if (kafka.minInsyncReplicas > kafka.replication) {
    problems.push({ path: [...envPath, 'minInsyncReplicas'], message: `min.insync.replicas ${kafka.minInsyncReplicas} is higher than replication ${kafka.replication}: no write could ever succeed`, hint: `use at most ${kafka.replication}` });
  }
  const servicePath = (s: { tenant: string; name: string }, ...rest: PathSegment[]): PathSegment[] => ['tenants', s.tenant, 'services', s.name, ...rest];

  // The component whose Application syncs the cluster, in the cluster's namespace.
  const component = model.components.find((c) => c.name === KAFKA_COMPONENT);
  if (!component) {
    problems.push({ path: ['components'], message: `no "${KAFKA_COMPONENT}" component: nothing would sync the Kafka cluster, topics and network policies`, hint: `add ${KAFKA_COMPONENT}: { namespace: '${kafka.namespace}', wave: -1, ... } to model/components.ts` });
  } else if (component.namespace !== kafka.namespace) {
    problems.push({ path: ['components', KAFKA_COMPONENT, 'namespace'], message: `the Kafka cluster runs in namespace "${kafka.namespace}", not "${component.namespace}"`, hint: `use namespace: '${kafka.namespace}'` });
  }

  // Strimzi's user operator watches exactly one namespace: every KafkaUser must be there.
  const users = kafkaServices(model);
  const byNamespace = new Map<string, string[]>();
  for (const s of users) byNamespace.set(s.namespace, [...(byNamespace.get(s.namespace) ?? []), s.name]);
  if (byNamespace.size > 1) {
    const ranked = [...byNamespace.entries()].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
    const [home] = ranked[0];
    const summary = ranked.map(([ns, names]) => `${ns} (${names.join(', ')})`).join('; ');
    for (const s of users.filter((u) => u.namespace !== home)) {
      problems.push({
        path: servicePath(s, 'namespace'),
        message: `"${s.name}" touches Kafka from namespace "${s.namespace}", but the KafkaUsers of cluster "${kafka.clusterName}" must all be in one namespace (Strimzi's user operator watches one); they are spread over ${summary}`,
        hint: `run the service in namespace "${home}", or stop it from producing and consuming`,
      });
    }
  }

  // A transactional id fences its previous owner: two services sharing one would fence each other.
  const txOwner = new Map<string, string>();
  for (const s of users) {
    s.kafka.transactionalIds.forEach((id, i) => {
      const other = txOwner.get(id);
      if (!/^[A-Za-z0-9._-]+$/.test(id)) {
        problems.push({ path: servicePath(s, 'transactionalIds', i), message: `transactional id "${id}" is not a plain name`, hint: 'use letters, digits, ".", "_" and "-"; the ACL is on this exact (literal) id' });
      }
      if (other !== undefined && other !== s.name) {
        problems.push({ path: servicePath(s, 'transactionalIds', i), message: `transactional id "${id}" is also declared by "${other}": the two producers would fence each other`, hint: `prefix it with the service name, e.g. "${s.name}.${id}"` });
      }
      txOwner.set(id, s.name);
    });
  }

  // KafkaTopic object names must not collide once made valid Kubernetes names.
  const resourceNames = new Map<string, string>();
  for (const topic of model.topics) {
    const name = topicResourceName(topic.name);
    const other = resourceNames.get(name);
    if (other !== undefined) {
      problems.push({ path: ['topics', topic.name], message: `topics "${other}" and "${topic.name}" would both be KafkaTopic "${name}"`, hint: 'rename one of them; Kubernetes names are lowercase with "." and "-"' });
    }
    resourceNames.set(name, topic.name);
    const written = replicationPath(topic);
    if (written && topic.replication > kafka.brokers) {
      problems.push({ path: written, message: `replication ${topic.replication} is higher than the ${kafka.brokers} broker(s) of ${env.name}`, hint: `use at most ${kafka.brokers}` });
    }
    // The loader lowers min.insync.replicas to the topic's replication; that silently weakens durability.
    if (written && topic.replication < kafka.minInsyncReplicas) {
      problems.push({
        path: written,
        message: `replication ${topic.replication} is below ${env.name}'s min.insync.replicas ${kafka.minInsyncReplicas}: acknowledged writes would survive fewer broker losses than the environment requires`,
        hint: `use at least ${kafka.minInsyncReplicas}, or remove the override to get the environment's ${kafka.replication}`,
      });
    }
  }

  // KRaft needs a majority of controllers: an even count tolerates no more failures than one fewer.
  if (kafka.controllers !== 'combined' && kafka.controllers % 2 === 0) {
    problems.push({ path: [...envPath, 'controllers'], message: `${kafka.controllers} dedicated controllers: a KRaft quorum of an even size tolerates no more failures than ${kafka.controllers - 1}`, hint: `use ${kafka.controllers - 1} or ${kafka.controllers + 1}` });
  }

  const dr = kafka.disasterRecovery;
  if (dr) {
    if (!dnsLabel.test(dr.clusterAlias) || dr.clusterAlias === kafka.clusterName) {
      problems.push({ path: [...envPath, 'disasterRecovery', 'clusterAlias'], message: `"${dr.clusterAlias}" must be a DNS label different from the cluster's own name "${kafka.clusterName}"`, hint: 'it names MirrorMaker 2 and the replicated topics on the DR side, e.g. "gm-dr"' });
    }
    const bad = dr.bootstrapServers.split(',').map((s) => s.trim()).filter((s) => !hostPort.test(s));
    if (bad.length > 0 || dr.bootstrapServers.trim() === '') {
      problems.push({ path: [...envPath, 'disasterRecovery', 'bootstrapServers'], message: `"${dr.bootstrapServers}" is not a comma-separated list of host:port`, hint: 'e.g. "kafka-bootstrap.dr.example.com:9093"' });
    }
  }
  return problems;
}
