/**
 * Kafka topics. Producers and consumers are declared on the services (`produces`, `consumes`);
 * partitions and replication default to the environment's Kafka settings unless set here or there.
 * Each topic but a dead-letter one declares the JSON Schema of its records (model/topic-schemas.ts).
 */
import type { TopicName } from './names.ts';
import type { TopicSpec } from './spec.ts';
import { gdprDeletionRequest, notificationOutbound, playerEventProcessed, playerEventRaw, recommendationGenerated } from './topic-schemas.ts';

export const topics = {
  'player.events.raw': {
    description: 'Player events as accepted by event-ingestion, keyed by player id.',
    owner: 'gamemetrics',
    retention: '7d',
    schema: playerEventRaw,
  },
  'player.events.raw.dlq': {
    description: 'Raw events event-processor could not process; the reason is in the `x-dlq-reason` header.',
    owner: 'gamemetrics',
    retention: '14d',
    purpose: 'dead-letter',
  },
  'player.events.processed': {
    description: 'Validated, de-duplicated and enriched events, keyed by player id.',
    owner: 'gamemetrics',
    retention: '30d',
    schema: playerEventProcessed,
  },
  'player.events.processed.dlq': {
    description: 'Processed events recommendation-engine could not read; the reason is in the `x-dlq-reason` header.',
    owner: 'gamemetrics',
    retention: '14d',
    purpose: 'dead-letter',
  },
  'recommendations.generated': {
    description: 'Recommendations per player, newest wins.',
    owner: 'gamemetrics',
    retention: '3d',
    schema: recommendationGenerated,
  },
  'notifications.outbound': {
    description: 'Messages to deliver to players.',
    owner: 'gamemetrics',
    retention: '1d',
    purpose: 'commands',
    schema: notificationOutbound,
  },
  'notifications.outbound.dlq': {
    description: 'Notifications that could not be delivered.',
    owner: 'gamemetrics',
    retention: '14d',
    purpose: 'dead-letter',
  },
  'gdpr.deletion.requests': {
    description: 'Right-to-erasure requests; every consumer deletes the player’s data it holds.',
    owner: 'gamemetrics',
    retention: '30d',
    purpose: 'commands',
    schema: gdprDeletionRequest,
  },
  'gdpr.deletion.requests.dlq': {
    description: 'Deletion requests a consumer failed to apply; each needs a human.',
    owner: 'gamemetrics',
    retention: '30d',
    purpose: 'dead-letter',
  },
  // The Schema Registry's storage (Apicurio KafkaSQL): every replica replays the journal at start, so it is never deleted.
  'schemas.journal': {
    description: "The Schema Registry's journal: every change to its artifacts, in Apicurio's KafkaSQL format.",
    owner: 'gamemetrics',
    partitions: 1,
    retention: '36500d',
    purpose: 'internal',
  },
  'schemas.snapshots': {
    description: "Snapshots of the Schema Registry's state, so a starting replica need not replay the whole journal.",
    owner: 'gamemetrics',
    partitions: 1,
    retention: '36500d',
    purpose: 'internal',
  },
} satisfies Record<TopicName, TopicSpec>;
