// The runtime contract (docs/service-contract.md): the ConfigMap data and the Secret-backed
// environment variables each service receives.
import type { LoadedLimit, LoadedModel, LoadedRateLimits, LoadedService } from '../../model/loaded.ts';
import { KAFKA_CA_MOUNT } from '../kafka/ca-trust.ts';
import { SCRAM_SHA_512 } from '../kafka/common.ts';
import { datastoreNamed, serviceNamed } from '../core/lookup.ts';
import { tracingConfig } from '../observability/telemetry/otlp.ts';

/** `player.events.raw` → `PLAYER_EVENTS_RAW`. */
export function envKey(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

/** ConfigMap data of a service, keys sorted. */
export function serviceConfig(model: LoadedModel, service: LoadedService): Record<string, string> {
  const data: Record<string, string> = {
    SERVICE_NAME: service.name,
    TENANT: service.tenant,
    ENVIRONMENT: model.environment.name,
    NAMESPACE: service.namespace,
    LOG_LEVEL: 'info',
  };
  if (service.ports.length > 0) data.PORT = String(service.ports[0].port);
  Object.assign(data, tracingConfig(model));
  if (service.kafka) {
    data.KAFKA_BROKERS = model.environment.kafka.bootstrapServers;
    data.KAFKA_CLIENT_ID = service.name;
    data.KAFKA_USERNAME = service.kafka.user;
    data.KAFKA_SASL_MECHANISM = SCRAM_SHA_512;
    data.KAFKA_SSL = 'true';
    data.KAFKA_SSL_CA_FILE = `${KAFKA_CA_MOUNT.directory}/${KAFKA_CA_MOUNT.key}`;
    if (service.kafka.groupId) data.KAFKA_GROUP_ID = service.kafka.groupId;
    if (service.kafka.groupPrefix) data.KAFKA_GROUP_PREFIX = service.kafka.groupPrefix;
    if (service.kafka.transactionalIds.length > 0) data.KAFKA_TRANSACTIONAL_IDS = service.kafka.transactionalIds.join(',');
    for (const topic of [...service.produces, ...service.consumes.map((c) => c.topic)]) data[`KAFKA_TOPIC_${envKey(topic)}`] = topic;
    for (const c of service.consumes) if (c.deadLetter) data[`KAFKA_DLQ_TOPIC_${envKey(c.topic)}`] = c.deadLetter;
    // Typed event contracts: the schema of each topic it produces, which it checks every record against (apps/lib/contracts.ts).
    for (const topic of service.produces) {
      const schema = model.topics.find((t) => t.name === topic)?.schema;
      if (schema) data[`KAFKA_SCHEMA_${envKey(topic)}`] = JSON.stringify(schema);
    }
  }
  for (const use of service.datastores) {
    const store = datastoreNamed(model, use.name);
    if (store.engine === 'postgresql') {
      Object.assign(data, { PGHOST: store.host, PGPORT: String(store.port), PGDATABASE: store.database ?? use.name, PGUSER: store.clients.find((c) => c.service === service.name)!.role, PGSSLMODE: 'require' });
      // The tables live in the service's tenant's schema: libpq and node-postgres read PGOPTIONS at connect.
      const schema = store.clients.find((c) => c.service === service.name)!.schema;
      if (schema) data.PGOPTIONS = `-c search_path=${schema}`;
    } else if (store.engine === 'redis') {
      data.REDIS_URL = `redis://${store.host}:${store.port}/0`;
    } else if (store.engine === 'qdrant') {
      data.QDRANT_URL = `http://${store.host}:${store.port}`;
    } else {
      data.S3_ENDPOINT = `http://${store.host}:${store.port}`;
      data.S3_BUCKET = use.bucket ?? store.database ?? use.name;
    }
  }
  for (const callee of service.calls) {
    const target = serviceNamed(model, callee);
    if (target.url) data[`${envKey(callee)}_URL`] = target.url;
  }
  if (service.rateLimits) Object.assign(data, rateLimitConfig(service.rateLimits));
  Object.assign(data, service.config);
  return Object.fromEntries(Object.entries(data).sort(([a], [b]) => (a < b ? -1 : 1)));
}

const limit = (value: LoadedLimit) => (value === null ? 'unlimited' : String(value));

/** The `RATE_LIMIT_*` variables (docs/service-contract.md): `<tier>=<per minute>/<per day>/<burst>`, comma-separated. */
export function rateLimitConfig(limits: LoadedRateLimits): Record<string, string> {
  const data: Record<string, string> = {
    RATE_LIMIT_TIERS: limits.tiers.map((t) => `${t.name}=${limit(t.requestsPerMinute)}/${limit(t.dailyQuota)}/${limit(t.burst)}`).join(','),
    RATE_LIMIT_DEFAULT_TIER: limits.defaultTier,
    RATE_LIMIT_WHEN_REDIS_DOWN: limits.whenRedisDown,
  };
  if (limits.endpoints.length > 0) data.RATE_LIMIT_ENDPOINTS = limits.endpoints.map((e) => `${e.method} ${e.path}=${e.requestsPerMinute}/${e.burst}`).join(',');
  return data;
}

/** Environment variables taken from Secrets, in a stable order (generators/secrets/catalog.ts). */
export { secretEnv } from '../secrets/catalog.ts';
