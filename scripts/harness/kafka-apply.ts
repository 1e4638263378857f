// Applies rendered KafkaTopics and KafkaUsers to a real broker the way Strimzi's topic and user
// operators would: topics with their partitions, replication and configs; SCRAM-SHA-512
// credentials (a fresh random password per user, as the user operator generates); ACLs translated
// by scripts/harness/kafka-acls.ts and reconciled to exactly the declared set.
import { randomBytes } from 'node:crypto';
import type { Admin } from 'kafkajs';
import { kafkaUserPrincipal, reconcileAcls } from './kafka-acls.ts';
import { type RenderedKafka, topicToCreate } from './kafka-rendered.ts';

export interface ScramCredentialStore {
  createScramUsers(users: Array<{ username: string; password: string }>): Promise<void>;
}

export interface AppliedUser {
  /** KafkaUser name = SCRAM username. */
  username: string;
  password: string;
  principal: string;
}

/** Creates the rendered topics (all at once) and waits for their leaders. */
export async function applyTopics(admin: Admin, topics: RenderedKafka['topics']): Promise<void> {
  if (topics.length === 0) return;
  await admin.createTopics({ topics: topics.map(topicToCreate), waitForLeaders: true });
}

/** Creates SCRAM credentials for the SCRAM users and reconciles every user's ACLs. */
export async function applyUsers(store: ScramCredentialStore, admin: Admin, users: RenderedKafka['users']): Promise<AppliedUser[]> {
  const applied = users.map((user) => ({
    username: user.metadata?.name ?? '',
    password: randomBytes(18).toString('base64url'),
    principal: kafkaUserPrincipal(user),
  }));
  const scram = applied.filter((_, i) => users[i].spec.authentication?.type === 'scram-sha-512');
  await store.createScramUsers(scram.map(({ username, password }) => ({ username, password })));
  for (const user of users) await reconcileAcls(admin, user);
  return applied;
}
