// Render-time guards for changes Kafka cannot apply to an existing topic. The model is stateless, so
// the reference is the previously rendered KafkaTopic in rendered/<env>/ (the committed output):
// - partitions can only grow (Kafka cannot shrink a topic);
// - the replication factor of an existing topic cannot change here (Strimzi's topic operator
//   needs Cruise Control for that, which this platform does not run).
// Problems point at the model entry that sets the value, so `npm run render` locates them.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type SourceOptions, sourcesOf } from './sources.ts';
import type { PathSegment, Problem } from '../model/problems.ts';
import type { RenderResult } from './render.ts';
import { renderedPath } from '../generators/core/paths.ts';

interface TopicView {
  topicName: string;
  partitions: number;
  replicas: number;
}

interface TopicObject {
  kind?: string;
  metadata?: { name?: string };
  spec?: { topicName?: string; partitions?: number; replicas?: number };
}

/** The KafkaTopic of an object, or null when it is something else. */
function topicView(object: TopicObject | null | undefined, resourceName?: string): TopicView | null {
  if (object?.kind !== 'KafkaTopic' || !object.spec) return null;
  return {
    topicName: object.spec.topicName ?? object.metadata?.name ?? resourceName ?? '',
    partitions: Number(object.spec.partitions),
    replicas: Number(object.spec.replicas),
  };
}

// js-yaml loads only when a topic's file changed (~9 ms of CPU a render does not spend otherwise).
let parse: typeof import('js-yaml').load | undefined;

/** The KafkaTopic in a rendered file's content, or null when it is something else or unreadable. */
export function readKafkaTopic(content: string, resourceName?: string): TopicView | null {
  parse ??= (createRequire(import.meta.url)('js-yaml') as typeof import('js-yaml')).load;
  try {
    return topicView(parse(content) as TopicObject, resourceName);
  } catch {
    return null;
  }
}

type Field = 'partitions' | 'replication';

/** Where the value comes from: the environment's topic override, the topic, or the environment default. */
function sourcePath(env: string, topic: string, field: Field, options: SourceOptions): PathSegment[] {
  const envSpec = sourcesOf(options).environments.find((e) => e.name === env);
  const override = (envSpec?.topics as Record<string, Partial<Record<Field, number>>> | undefined)?.[topic];
  if (override?.[field] !== undefined) return ['environments', env, 'topics', topic, field];
  const spec = (sourcesOf(options).platform.topics as Record<string, Partial<Record<Field, number>>>)[topic];
  if (spec?.[field] !== undefined) return ['topics', topic, field];
  return ['environments', env, 'kafka', field === 'partitions' ? 'defaultPartitions' : 'replication'];
}

/** Problems for every rendered KafkaTopic that Kafka could not apply over the one in `renderedDir`. */
export function kafkaTopicGuards(result: RenderResult, renderedDir: string, options: SourceOptions = {}): Problem[] {
  const problems: Problem[] = [];
  // A region renders the environment's topics again: one problem per environment, topic and field.
  const reported = new Set<string>();
  const push = (env: string, topic: string, field: Field, problem: Problem) => {
    const key = `${env}\0${topic}\0${field}`;
    if (!reported.has(key)) problems.push(problem);
    reported.add(key);
  };
  for (const { env, objects, files } of result.environments) {
    for (const [path, object] of objects) {
      const next = topicView(object as TopicObject);
      if (next === null) continue;
      const previousFile = join(renderedDir, env, path);
      if (!existsSync(previousFile)) continue;
      const text = readFileSync(previousFile, 'utf8');
      // An unchanged file is an unchanged topic.
      if (text === files.get(path)) continue;
      const previous = readKafkaTopic(text);
      if (previous === null || previous.topicName !== next.topicName) continue;
      const where = renderedPath(env, path);
      if (next.partitions < previous.partitions) {
        push(env, next.topicName, 'partitions', {
          path: sourcePath(env, next.topicName, 'partitions', options),
          message: `topic "${next.topicName}" in ${env} would go from ${previous.partitions} to ${next.partitions} partitions (${where}); Kafka cannot remove partitions`,
          hint: `keep ${previous.partitions} or more; to really have fewer, declare a new topic with ${next.partitions} partitions, move producers and consumers to it, then remove "${next.topicName}"`,
        });
      }
      if (Number.isFinite(previous.replicas) && next.replicas !== previous.replicas) {
        push(env, next.topicName, 'replication', {
          path: sourcePath(env, next.topicName, 'replication', options),
          message: `topic "${next.topicName}" in ${env} would change replication from ${previous.replicas} to ${next.replicas} (${where}); the topic operator cannot reassign replicas without Cruise Control, which this platform does not run`,
          hint: `keep replication ${previous.replicas}, or declare a new topic with replication ${next.replicas} and migrate to it`,
        });
      }
    }
  }
  return problems;
}
