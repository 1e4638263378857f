/**
 * The JSON Schema of each topic's records (TopicSpec `schema`), written from the records the services
 * produce and consume: apps/lib/player-event.ts (player.events.raw), apps/event-processor's processed
 * record, apps/notification-service/src/records.ts (notifications.outbound, recommendations.generated),
 * apps/recommendation-engine/src/recommend.ts (Recommendations) and apps/lib/gdpr.ts (the deletion request). apps/test/contracts.test.ts proves each producer's output validates
 * against these and against every consumer's own check; model/topic-schemas.lock.json holds the last
 * accepted version of each (docs/event-contracts.md).
 */
import type { EventSchema } from './spec.ts';

const id = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]*$' };
const uuid = { type: 'string', format: 'uuid' };
const dateTime = { type: 'string', format: 'date-time' };

const eventFields = {
  eventId: { ...uuid, description: 'Unique per event; duplicates are dropped by event-processor.' },
  playerId: id,
  gameId: id,
  type: { type: 'string', enum: ['session_start', 'session_end', 'level_up', 'achievement_unlocked', 'purchase', 'match_end', 'score'] },
  timestamp: { ...dateTime, pattern: '^(?!0000)', description: 'When it happened on the client; year 0000 is refused (PostgreSQL has none).' },
  payload: { type: 'object', maxProperties: 64, description: 'Free-form details; a numeric `score` counts towards leaderboards.' },
  tenant: { type: 'string', minLength: 1, maxLength: 64, description: 'The studio whose API key sent it.' },
  receivedAt: { ...dateTime, description: 'When event-ingestion accepted it.' },
};

export const playerEventRaw: EventSchema = {
  type: 'object',
  description: 'A player event as accepted by event-ingestion.',
  additionalProperties: false,
  required: ['eventId', 'playerId', 'gameId', 'type', 'timestamp', 'tenant', 'receivedAt'],
  properties: eventFields,
};

export const playerEventProcessed: EventSchema = {
  type: 'object',
  description: 'A new (de-duplicated) player event, stored, with its score.',
  required: ['eventId', 'playerId', 'gameId', 'type', 'timestamp', 'payload', 'tenant', 'receivedAt', 'score', 'processedAt'],
  properties: {
    ...eventFields,
    score: { type: ['number', 'null'], description: "The payload's finite numeric score, else null." },
    processedAt: dateTime,
  },
};

export const recommendationGenerated: EventSchema = {
  type: 'object',
  description: "A player's latest recommendations (recommendation-engine's Recommendations), newest wins.",
  required: ['playerId', 'generatedAt', 'recommendations'],
  properties: {
    playerId: id,
    generatedAt: dateTime,
    backend: { type: 'string', description: 'The similarity index that found the neighbours.' },
    neighbours: { type: 'integer', minimum: 0 },
    recommendations: {
      type: 'array',
      maxItems: 100,
      items: {
        type: 'object',
        required: ['gameId', 'score', 'reason'],
        properties: { gameId: id, score: { type: 'number' }, reason: { type: 'string', enum: ['similar-players', 'popular'] } },
      },
    },
  },
};

export const notificationOutbound: EventSchema = {
  type: 'object',
  description: 'A message to deliver to a player on a channel (notification-service).',
  required: ['notificationId', 'playerId', 'channel', 'body', 'createdAt'],
  properties: {
    notificationId: { ...uuid, description: 'Idempotency key: delivered at most once per id.' },
    playerId: id,
    channel: { type: 'string', maxLength: 64, pattern: '^[a-z][a-z0-9-]*$' },
    subject: { type: 'string', maxLength: 200 },
    body: { type: 'string', minLength: 1, maxLength: 4000 },
    data: { type: 'object' },
    createdAt: dateTime,
  },
};

export const gdprDeletionRequest: EventSchema = {
  type: 'object',
  description: "A right-to-erasure request: every consumer deletes the player's data it holds.",
  required: ['requestId', 'playerId', 'requestedAt'],
  properties: {
    requestId: uuid,
    playerId: id,
    requestedAt: dateTime,
  },
};
