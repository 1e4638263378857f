/** recommendation-engine's configuration: the contract's variables, the similarity backend and the cache. */
import {
  baseSchema,
  envSchema,
  kafkaNamesSchema,
  kafkaSchema,
  postgresSchema,
  redisSchema,
  type BaseConfig,
  type EnvSchema,
  type KafkaConfig,
  type PostgresConfig,
  type RedisConfig,
} from '@gamemetrics/service-kit/config.ts';

export interface RecommendationConfig extends BaseConfig, KafkaConfig, RedisConfig, PostgresConfig {
  KAFKA_GROUP_ID: string;
  KAFKA_TOPIC_PLAYER_EVENTS_PROCESSED: string;
  KAFKA_DLQ_TOPIC_PLAYER_EVENTS_PROCESSED: string;
  KAFKA_TOPIC_GDPR_DELETION_REQUESTS: string;
  KAFKA_DLQ_TOPIC_GDPR_DELETION_REQUESTS: string;
  KAFKA_TOPIC_RECOMMENDATIONS_GENERATED: string;
  /** `qdrant`: neighbours from Qdrant (QDRANT_URL); `redis`: from the features' inverted index in Redis. */
  SIMILARITY_BACKEND: 'qdrant' | 'redis';
  QDRANT_URL?: string;
  QDRANT_API_KEY?: string;
  /** The Qdrant collection of player vectors. */
  QDRANT_COLLECTION: string;
  /** Seconds a player's cached recommendations live (they are also dropped when the player's events change). */
  RECOMMENDATION_CACHE_TTL_SECONDS: number;
  /** Recommendations computed and cached per player; `?limit=` may ask for fewer. */
  RECOMMENDATION_LIMIT: number;
  /** Most similar players consulted. */
  RECOMMENDATION_NEIGHBOURS: number;
  /** Days a player's features live without new events ("recent" events). */
  FEATURE_TTL_DAYS: number;
}

export const recommendationSchema: EnvSchema = envSchema(
  baseSchema,
  kafkaSchema,
  redisSchema,
  postgresSchema,
  kafkaNamesSchema(
    'KAFKA_GROUP_ID',
    'KAFKA_TOPIC_PLAYER_EVENTS_PROCESSED',
    'KAFKA_DLQ_TOPIC_PLAYER_EVENTS_PROCESSED',
    'KAFKA_TOPIC_GDPR_DELETION_REQUESTS',
    'KAFKA_DLQ_TOPIC_GDPR_DELETION_REQUESTS',
    'KAFKA_TOPIC_RECOMMENDATIONS_GENERATED',
  ),
  {
    type: 'object',
    properties: {
      SIMILARITY_BACKEND: { enum: ['qdrant', 'redis'] },
      QDRANT_URL: { type: 'string', pattern: '^https?://[^\\s/]+$', hint: 'must be http(s)://<host>:<port>' },
      QDRANT_API_KEY: { type: 'string', minLength: 1 },
      QDRANT_COLLECTION: { type: 'string', pattern: '^[A-Za-z0-9_-]+$', default: 'player_features' },
      RECOMMENDATION_CACHE_TTL_SECONDS: { type: 'integer', minimum: 1, maximum: 86400 },
      RECOMMENDATION_LIMIT: { type: 'integer', minimum: 1, maximum: 50, default: 10 },
      RECOMMENDATION_NEIGHBOURS: { type: 'integer', minimum: 1, maximum: 200, default: 20 },
      FEATURE_TTL_DAYS: { type: 'integer', minimum: 1, maximum: 400, default: 30 },
    },
    required: ['SIMILARITY_BACKEND', 'RECOMMENDATION_CACHE_TTL_SECONDS'],
  },
);

export function checkRecommendationConfig(config: RecommendationConfig): string[] {
  return config.SIMILARITY_BACKEND === 'qdrant' && !config.QDRANT_URL ? ['SIMILARITY_BACKEND=qdrant needs QDRANT_URL (the model renders it for a service listing the qdrant datastore)'] : [];
}
