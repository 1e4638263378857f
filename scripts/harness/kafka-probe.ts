// Probes what a Kafka client may do, as the broker answers it: produce to a topic, consume a topic
// in a consumer group, create a topic, use a transactional id. Each probe resolves to an Outcome
// (allowed, or refused with the broker's error type) and never throws for a refusal. kafkajs 2.2.4
// behaviours handled here are documented in scripts/harness/README.md.
import kafkajs from 'kafkajs';
import type { Kafka, KafkaConfig, LogEntry } from 'kafkajs';

const { Kafka: KafkaClient, logLevel } = kafkajs;

export type Outcome = { allowed: true } | { allowed: false; error: string; code?: number };

export const AUTHORIZATION_ERRORS = ['TOPIC_AUTHORIZATION_FAILED', 'GROUP_AUTHORIZATION_FAILED', 'CLUSTER_AUTHORIZATION_FAILED', 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED'];

export function isAuthorizationRefusal(outcome: Outcome): boolean {
  return !outcome.allowed && AUTHORIZATION_ERRORS.includes(outcome.error);
}

/** The broker's error type inside a kafkajs error (itself, its cause, or the first of an aggregate). */
export function refusal(error: unknown): Outcome {
  let current = error as { type?: string; code?: number; name?: string; message?: string; cause?: unknown; errors?: unknown[] } | undefined;
  const top = current;
  while (current && current.type === undefined && (current.cause || current.errors?.length)) {
    current = (current.cause ?? current.errors?.[0]) as typeof current;
  }
  if (current?.type) return { allowed: false, error: current.type, ...(current.code !== undefined ? { code: current.code } : {}) };
  return { allowed: false, error: top?.name ?? String(error) };
}

/**
 * A kafkajs client whose error log is collected instead of printed: kafkajs reports some broker
 * refusals (the group coordinator lookup's GROUP_AUTHORIZATION_FAILED) only in its log.
 */
export function quietClient(config: KafkaConfig): { kafka: Kafka; logged: string[] } {
  const logged: string[] = [];
  const logCreator = () => (entry: LogEntry) => {
    logged.push(`${entry.log.message} ${String((entry.log as { error?: string }).error ?? '')}`);
  };
  return { kafka: new KafkaClient({ ...config, logLevel: logLevel.ERROR, logCreator }), logged };
}

/** Broker refusals kafkajs only logs (while looking for a group or transaction coordinator). */
const loggedRefusals = [
  { text: 'Group authorization failed', error: 'GROUP_AUTHORIZATION_FAILED', code: 30 },
  { text: 'Transactional Id authorization failed', error: 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED', code: 53 },
];

/** The refusal found in a quiet client's log, else `fallback`. */
export function loggedRefusal(logged: readonly string[], fallback: Outcome): Outcome {
  const found = loggedRefusals.find((r) => logged.some((line) => line.includes(r.text)));
  return found ? { allowed: false, error: found.error, code: found.code } : fallback;
}

/** Sends one message to each topic, one producer; the outcome per topic. */
export async function probeProduce(kafka: Kafka, topics: readonly string[], value: string): Promise<Map<string, Outcome>> {
  const producer = kafka.producer({ retry: { retries: 0 }, allowAutoTopicCreation: false });
  const outcomes = new Map<string, Outcome>();
  await producer.connect();
  try {
    for (const topic of topics) {
      outcomes.set(topic, await producer.send({ topic, acks: -1, messages: [{ key: topic, value }] }).then(() => ({ allowed: true }) as Outcome, refusal));
    }
  } finally {
    await producer.disconnect();
  }
  return outcomes;
}

/**
 * Consumes `topic` from the beginning in consumer group `groupId`: allowed once a message arrives,
 * refused when the consumer fails (a group refusal is read from kafkajs's log), `TIMEOUT` otherwise.
 */
export async function probeConsume(config: KafkaConfig, groupId: string, topic: string, timeoutMs = 15_000): Promise<Outcome> {
  const { kafka, logged } = quietClient(config);
  const consumer = kafka.consumer({ groupId, retry: { retries: 0, restartOnFailure: async () => false }, sessionTimeout: 10_000, heartbeatInterval: 500, maxWaitTimeInMs: 500 });
  let timer: NodeJS.Timeout | undefined;
  const fromLog = (fallback: Outcome) => loggedRefusal(logged, fallback);
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    return await new Promise<Outcome>((resolve) => {
      timer = setTimeout(() => resolve(fromLog({ allowed: false, error: 'TIMEOUT' })), timeoutMs);
      consumer.on(consumer.events.CRASH, (event) => resolve(fromLog(refusal(event.payload.error))));
      consumer.run({ eachMessage: async () => resolve({ allowed: true }) }).catch((error: unknown) => resolve(fromLog(refusal(error))));
    });
  } catch (error) {
    return fromLog(refusal(error));
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
  }
}

/** Tries to create a topic (one partition). */
export async function probeCreateTopic(kafka: Kafka, topic: string): Promise<Outcome> {
  const admin = kafka.admin({ retry: { retries: 0 } });
  await admin.connect();
  try {
    return await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: false }).then(() => ({ allowed: true }) as Outcome, refusal);
  } finally {
    await admin.disconnect();
  }
}

/** Starts and commits a one-message transaction with this transactional id on `topic`. */
export async function probeTransactionalId(config: KafkaConfig, transactionalId: string, topic: string): Promise<Outcome> {
  const { kafka, logged } = quietClient(config);
  // kafkajs refuses an idempotent producer without retries; refusals are not retried anyway.
  const producer = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1, retry: { retries: 1, initialRetryTime: 100 } });
  try {
    await producer.connect();
    const transaction = await producer.transaction();
    try {
      await transaction.send({ topic, acks: -1, messages: [{ value: 'tx' }] });
      await transaction.commit();
      return { allowed: true };
    } catch (error) {
      await transaction.abort().catch(() => undefined);
      return loggedRefusal(logged, refusal(error));
    }
  } catch (error) {
    return loggedRefusal(logged, refusal(error));
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}
