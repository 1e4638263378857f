/**
 * Kafka topics. Producers and consumers are declared on the services (`produces`, `consumes`);
 * partitions and replication default to the environment's Kafka settings unless set here or there.
 */
import type { TopicName } from './names.ts';
import type { TopicSpec } from './spec.ts';

export const topics = {
  'player.events.raw': {
    description: 'Player events as accepted by event-ingestion, keyed by player id.',
    owner: 'gamemetrics',
    retention: '7d',
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
  },
  'notifications.outbound': {
    description: 'Messages to deliver to players.',
    owner: 'gamemetrics',
    retention: '1d',
    purpose: 'commands',
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
  },
  'gdpr.deletion.requests.dlq': {
    description: 'Deletion requests a consumer failed to apply; each needs a human.',
    owner: 'gamemetrics',
    retention: '30d',
    purpose: 'dead-letter',
  },
} satisfies Record<TopicName, TopicSpec>;
