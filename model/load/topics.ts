// Topics: the environment's overrides and defaults applied, producers and consumers derived from the services.
// (Whether Kafka can hold them, replication against brokers and min.insync.replicas, is model/checks/kafka.ts.)
import type { LoadedEnvironment, LoadedService, LoadedTopic } from '../loaded.ts';
import type { TopicName } from '../names.ts';
import type { EventSchema } from '../spec.ts';
import { unknownNameHint } from '../problems.ts';
import { compareWithLock, SCHEMA_LOCK_FILE, schemaShapeIssues } from '../schema-evolution.ts';
import { parseDuration } from '../quantities.ts';
import { type LoadContext, report, sortByName } from './context.ts';
import { DEFAULT_CLEANUP_POLICY, DEFAULT_TOPIC_PURPOSE, DEFAULT_TOPIC_RETENTION } from './defaults.ts';

export function loadTopics(context: LoadContext, services: LoadedService[], environment: LoadedEnvironment): LoadedTopic[] {
  const { platform, env } = context;
  const tenantNames = Object.keys(platform.tenants);
  const topics: LoadedTopic[] = [];
  for (const [name, topic] of Object.entries(platform.topics)) {
    const path = ['topics', name];
    const override = env.topics?.[name as TopicName] ?? {};
    if (!/^[a-zA-Z0-9._-]{1,249}$/.test(name) || name === '.' || name === '..') {
      report(context, path, `"${name}" is not a valid Kafka topic name`, 'use letters, digits, ".", "_" and "-", at most 249 characters');
    }
    if (!tenantNames.includes(topic.owner)) report(context, [...path, 'owner'], `unknown tenant "${topic.owner}"`, unknownNameHint(topic.owner, tenantNames));
    const replication = override.replication ?? topic.replication ?? environment.kafka.replication;
    const retention = override.retention ?? topic.retention ?? DEFAULT_TOPIC_RETENTION;
    const producers = services.filter((s) => s.kafka?.write.includes(name)).map((s) => s.name).sort();
    const consumers = services.filter((s) => s.kafka?.read.includes(name)).map((s) => s.name).sort();
    if (consumers.length > 0 && producers.length === 0) {
      for (const consumer of consumers) {
        const service = services.find((s) => s.name === consumer)!;
        report(context, ['tenants', service.tenant, 'services', consumer, 'consumes', service.consumes.findIndex((c) => c.topic === name)],
          `consumes "${name}", which no service produces`, `add "${name}" to a producer's produces, or remove this consume`);
      }
    }
    const purpose = topic.purpose ?? DEFAULT_TOPIC_PURPOSE;
    const schemaVersion = checkSchema(context, name, topic.schema, purpose);
    topics.push({
      name,
      description: topic.description,
      owner: topic.owner,
      partitions: override.partitions ?? topic.partitions ?? environment.kafka.defaultPartitions,
      replication,
      minInsyncReplicas: Math.min(environment.kafka.minInsyncReplicas, replication),
      retention,
      retentionMs: parseDuration(retention) ?? 0,
      cleanupPolicy: topic.cleanupPolicy ?? DEFAULT_CLEANUP_POLICY,
      purpose,
      schema: topic.schema ?? null,
      schemaVersion,
      producers,
      consumers,
      modelPath: `topics['${name}']`,
    });
  }
  return sortByName(topics);
}

const LOCK_HINT = 'run npm run schemas:lock to record it (docs/event-contracts.md)';

/** The schema's shape and its evolution against the lock; returns its version. */
function checkSchema(context: LoadContext, name: string, schema: EventSchema | undefined, purpose: string): number {
  const path = ['topics', name, 'schema'];
  if (purpose === 'dead-letter' || purpose === 'internal') {
    if (schema) report(context, path, purpose === 'dead-letter' ? 'a dead-letter topic holds the original records, valid or not: it declares no schema' : "an internal topic holds its service's own format: it declares no schema", 'remove schema');
    return 1;
  }
  if (!schema) {
    report(context, ['topics', name], 'declares no schema for its records', 'add schema: the JSON Schema of the record values (model/topic-schemas.ts)');
    return 1;
  }
  const shape = schemaShapeIssues(schema);
  for (const issue of shape) report(context, path, `field "${issue.field}" ${issue.message}`);
  if (shape.length > 0 || !context.schemaLock) return 1;
  const verdict = compareWithLock(schema, context.schemaLock[name]);
  if (verdict.status === 'breaking')
    for (const issue of verdict.issues)
      report(context, path, `backward-incompatible change to the schema of "${name}": field "${issue.field}" ${issue.message} (against version ${verdict.version} in ${SCHEMA_LOCK_FILE})`,
        `keep the field compatible, or publish the new shape on a new topic; a reviewed break: npm run schemas:lock -- --accept-breaking ${name}`);
  else if (verdict.status === 'compatible') report(context, path, `the schema of "${name}" changed (compatibly) since version ${verdict.version} in ${SCHEMA_LOCK_FILE}`, LOCK_HINT);
  else if (verdict.status === 'new') report(context, path, `the schema of "${name}" is not in ${SCHEMA_LOCK_FILE}`, LOCK_HINT);
  return verdict.status === 'new' ? 1 : verdict.version;
}
