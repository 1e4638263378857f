// The allowed/denied matrix of a set of Kafka users on a real broker: for every user, produce to
// and consume from every topic, create a topic, and use transactional ids; what the model declares
// is the expectation to compare it with.
import type { KafkaConfig } from 'kafkajs';
import type { LoadedModel } from '../../model/loaded.ts';
import type { AppliedUser } from './kafka-apply.ts';
import { type Outcome, probeConsume, probeCreateTopic, probeProduce, probeTransactionalId, quietClient } from './kafka-probe.ts';

export interface MatrixRow {
  user: string;
  produce: Map<string, Outcome>;
  consume: Map<string, Outcome>;
  createTopic: Outcome;
  /** Transactional id → outcome. */
  transactions: Map<string, Outcome>;
}

export interface MatrixInput {
  clientConfig(user: { username: string; password: string }, clientId: string): KafkaConfig;
  users: readonly AppliedUser[];
  topics: readonly string[];
  /** Transactional ids to try per user, with a topic to write in the transaction. */
  transactions(user: string): Array<{ id: string; topic: string }>;
  /** The consumer group a user consumes as. @default its name (the model's `groupId`) */
  groupOf?(user: string): string;
}

/** Runs every probe, user by user (produce first, so every topic holds a message to consume). */
export async function accessMatrix(input: MatrixInput): Promise<MatrixRow[]> {
  const rows: MatrixRow[] = [];
  for (const user of input.users) {
    const config = input.clientConfig(user, user.username);
    const { kafka } = quietClient(config);
    const produce = await probeProduce(kafka, input.topics, `from ${user.username}`);
    const consume = new Map<string, Outcome>();
    const group = input.groupOf?.(user.username) ?? user.username;
    for (const topic of input.topics) consume.set(topic, await probeConsume(config, group, topic));
    const createTopic = await probeCreateTopic(kafka, `${user.username}.undeclared`);
    const transactions = new Map<string, Outcome>();
    for (const { id, topic } of input.transactions(user.username)) transactions.set(id, await probeTransactionalId(config, id, topic));
    rows.push({ user: user.username, produce, consume, createTopic, transactions });
  }
  return rows;
}

export interface Expectation {
  produce: Set<string>;
  consume: Set<string>;
  transactionalIds: Set<string>;
}

/** What the model allows each service: write/read topics and transactional ids. */
/** The group each service consumes as: its `groupId`, or a group under its prefix (`consumerGroups: 'prefixed'`). */
export function consumerGroupOf(model: LoadedModel): (user: string) => string {
  return (user) => {
    const kafka = model.services.find((s) => s.kafka?.user === user)?.kafka;
    return kafka?.groupId ?? (kafka?.groupPrefix ? `${kafka.groupPrefix}probe` : user);
  };
}

export function expectedAccess(model: LoadedModel): Map<string, Expectation> {
  return new Map(model.services.flatMap((s) => (s.kafka
    ? [[s.kafka.user, { produce: new Set(s.kafka.write), consume: new Set(s.kafka.read), transactionalIds: new Set(s.kafka.transactionalIds) }] as const]
    : [])));
}

/** Every cell where the broker's answer differs from the expectation, or refuses with a non-authorization error. */
export function matrixMismatches(rows: readonly MatrixRow[], expected: ReadonlyMap<string, Expectation>): string[] {
  const problems: string[] = [];
  const check = (user: string, what: string, outcome: Outcome, allowed: boolean) => {
    if (outcome.allowed !== allowed) problems.push(`${user}: ${what} was ${outcome.allowed ? 'allowed' : `refused (${outcome.error})`}, the model says ${allowed ? 'allowed' : 'refused'}`);
    else if (!outcome.allowed && !/_AUTHORIZATION_FAILED$/.test(outcome.error)) problems.push(`${user}: ${what} was refused with ${outcome.error}, not an authorization error`);
  };
  for (const row of rows) {
    const want = expected.get(row.user) ?? { produce: new Set<string>(), consume: new Set<string>(), transactionalIds: new Set<string>() };
    for (const [topic, outcome] of row.produce) check(row.user, `produce to ${topic}`, outcome, want.produce.has(topic));
    for (const [topic, outcome] of row.consume) check(row.user, `consume ${topic}`, outcome, want.consume.has(topic));
    check(row.user, 'create a topic', row.createTopic, false);
    for (const [id, outcome] of row.transactions) check(row.user, `transactional id ${id}`, outcome, want.transactionalIds.has(id));
  }
  return problems;
}

const mark = (outcome: Outcome | undefined, letter: string) => (outcome === undefined ? ' ' : outcome.allowed ? letter : '·');

/**
 * The matrix as text: one line per user, one column per topic with `P` (produce allowed) and `C`
 * (consume allowed), `·` where refused; then topic creation and transactional ids.
 */
export function formatMatrix(rows: readonly MatrixRow[], topics: readonly string[]): string {
  const width = Math.max(...rows.map((r) => r.user.length), 4);
  const lines = topics.map((t, i) => `  [${i + 1}] ${t}`);
  const header = `${'user'.padEnd(width)}  ${topics.map((_, i) => `[${i + 1}]`.padEnd(4)).join(' ')}  create  transactional ids`;
  const body = rows.map((row) => {
    const cells = topics.map((t) => `${mark(row.produce.get(t), 'P')}${mark(row.consume.get(t), 'C')}`.padEnd(4)).join(' ');
    const tx = [...row.transactions].map(([id, o]) => `${id}:${o.allowed ? 'allowed' : 'refused'}`).join(' ') || '-';
    return `${row.user.padEnd(width)}  ${cells}  ${(row.createTopic.allowed ? 'allowed' : 'refused').padEnd(6)}  ${tx}`;
  });
  const refusals = new Map<string, number>();
  for (const row of rows) {
    for (const outcome of [...row.produce.values(), ...row.consume.values(), row.createTopic, ...row.transactions.values()]) {
      if (!outcome.allowed) refusals.set(outcome.error, (refusals.get(outcome.error) ?? 0) + 1);
    }
  }
  const summary = `refusals: ${[...refusals].sort().map(([error, n]) => `${error} ×${n}`).join(', ') || 'none'}`;
  return [`P = produce allowed, C = consume allowed, · = refused by the broker`, ...lines, header, ...body, summary].join('\n');
}
