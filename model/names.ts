/**
 * The catalog of names. Declare a name here first, then its definition: every reference to a
 * service, topic, datastore or tenant is checked against these unions by `tsc`, and the definitions
 * in `model/` must cover each name exactly once.
 */

export const tenantNames = ['gamemetrics', 'geo-climate'] as const;
export type TenantName = (typeof tenantNames)[number];

export const gamemetricsServices = [
  'event-ingestion',
  'event-processor',
  'analytics-api',
  'recommendation-engine',
  'user-service',
  'notification-service',
  'admin-dashboard',
  'data-retention',
] as const;
export const geoClimateServices = ['prediction-api', 'model-training'] as const;
export type GameMetricsService = (typeof gamemetricsServices)[number];
export type GeoClimateService = (typeof geoClimateServices)[number];
export type ServiceName = GameMetricsService | GeoClimateService;
/** Which services each tenant declares. */
export interface TenantServices {
  gamemetrics: GameMetricsService;
  'geo-climate': GeoClimateService;
}

export const topicNames = [
  'player.events.raw',
  'player.events.raw.dlq',
  'player.events.processed',
  'player.events.processed.dlq',
  'recommendations.generated',
  'notifications.outbound',
  'notifications.outbound.dlq',
  'gdpr.deletion.requests',
  'gdpr.deletion.requests.dlq',
] as const;
export type TopicName = (typeof topicNames)[number];

export const datastoreNames = ['timescaledb', 'redis', 'qdrant', 'minio'] as const;
export type DatastoreName = (typeof datastoreNames)[number];
