/**
 * Boot-time configuration: environment variables validated against a JSON schema (ajv).
 *
 * Every service declares the variables it reads as one JSON schema object built from the
 * fragments below. `loadConfig()` coerces strings to the declared types, applies defaults and
 * reports every problem at once, each naming the variable; `loadConfigOrExit()` prints them and
 * stops the process, so a bad Deployment fails fast and readably.
 */
import { existsSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS: its default export is the plugin function.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export type EnvSchema = {
  type: 'object';
  properties: Record<string, Record<string, unknown>>;
  required: string[];
};

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(service: string, problems: string[]) {
    super(
      `${service}: invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p}`).join('\n') +
        '\nSet these environment variables (see apps/README.md) and restart.',
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

// `hint` is our own keyword: the human wording of a pattern.
const ajv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, strict: false, verbose: true });
addFormats(ajv);

/** Merge schema fragments into one env schema. */
export function envSchema(...parts: EnvSchema[]): EnvSchema {
  return {
    type: 'object',
    properties: Object.assign({}, ...parts.map((p) => p.properties)),
    required: [...new Set(parts.flatMap((p) => p.required))],
  };
}

function describe(e: ErrorObject, env: Record<string, string | undefined>): string {
  if (e.keyword === 'required') {
    const name = (e.params as { missingProperty: string }).missingProperty;
    return `${name} is required but not set`;
  }
  const name = e.instancePath.replace(/^\//, '').split('/')[0] ?? '';
  const shown = /PASSWORD|SECRET|SIGNING_KEY|^API_KEYS$/.test(name) ? '(hidden)' : JSON.stringify(env[name]);
  const extra =
    e.keyword === 'enum' ? ` (allowed: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})` : '';
  const hint = (e.parentSchema as { hint?: string } | undefined)?.hint;
  return `${name}=${shown} ${hint && e.keyword === 'pattern' ? hint : (e.message ?? 'is invalid')}${extra}`;
}

/**
 * Validate `env` against `schema`; returns the typed, coerced values or throws ConfigError
 * listing every problem. Extra checks (cross-field rules) may add problems via `refine`.
 */
export function loadConfig<T>(
  service: string,
  schema: EnvSchema,
  env: Record<string, string | undefined> = process.env,
  refine?: (config: T) => string[],
): T {
  // Only the declared variables are copied: the rest of the environment is ignored.
  const values: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    const v = env[key];
    if (v !== undefined && v !== '') values[key] = v;
  }
  const validate = ajv.compile(schema);
  const problems: string[] = [];
  if (!validate(values)) {
    for (const e of validate.errors ?? []) problems.push(describe(e, env));
  }
  if (problems.length === 0 && refine) problems.push(...refine(values as T));
  if (problems.length > 0) throw new ConfigError(service, [...new Set(problems)]);
  return values as T;
}

/** loadConfig, or print the problems to stderr and exit with status 78 (EX_CONFIG). */
export function loadConfigOrExit<T>(
  service: string,
  schema: EnvSchema,
  refine?: (config: T) => string[],
): T {
  try {
    return loadConfig<T>(service, schema, process.env, refine);
  } catch (e) {
    if (e instanceof ConfigError) {
      // One JSON line for log pipelines, then the same for people.
      process.stderr.write(`${JSON.stringify({ level: 'fatal', service, msg: 'invalid configuration', problems: e.problems })}\n${e.message}\n`);
      process.exit(78);
    }
    throw e;
  }
}

/* ------------------------------------------------------------------------------------------------ */
/* Schema fragments, one per contract section (docs/service-contract.md).                             */
/* ------------------------------------------------------------------------------------------------ */

const name = { type: 'string', minLength: 1, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', hint: 'must be a DNS label (lower-case letters, digits, -)' };
const topic = { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9._-]+$', hint: 'must be a Kafka name (letters, digits, ., _, -)' };

/** The samplers the OpenTelemetry SDK knows by name (OTEL_TRACES_SAMPLER). */
export const TRACE_SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const;

export interface BaseConfig {
  SERVICE_NAME: string;
  TENANT: string;
  ENVIRONMENT: string;
  NAMESPACE: string;
  PORT: number;
  /** Address to bind; `0.0.0.0` in a pod. */
  HOST: string;
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** OTLP/HTTP endpoint; traces are exported only when set. */
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  /** The OpenTelemetry SDK's sampler (read by the SDK itself; checked here so that a typo refuses to start). */
  OTEL_TRACES_SAMPLER?: (typeof TRACE_SAMPLERS)[number];
  /** The sampler's ratio of traces kept, 0 to 1. */
  OTEL_TRACES_SAMPLER_ARG?: number;
  /** Milliseconds SIGTERM waits for in-flight work before forcing exit. */
  SHUTDOWN_TIMEOUT_MS: number;
}

export const baseSchema: EnvSchema = {
  type: 'object',
  properties: {
    SERVICE_NAME: name,
    TENANT: name,
    ENVIRONMENT: name,
    NAMESPACE: name,
    PORT: { type: 'integer', minimum: 0, maximum: 65535 },
    HOST: { type: 'string', default: '0.0.0.0' },
    LOG_LEVEL: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' },
    OTEL_EXPORTER_OTLP_ENDPOINT: { type: 'string', format: 'uri' },
    OTEL_TRACES_SAMPLER: { enum: [...TRACE_SAMPLERS] },
    OTEL_TRACES_SAMPLER_ARG: { type: 'number', minimum: 0, maximum: 1 },
    SHUTDOWN_TIMEOUT_MS: { type: 'integer', minimum: 100, default: 25000 },
  },
  required: ['SERVICE_NAME', 'TENANT', 'ENVIRONMENT', 'NAMESPACE', 'PORT'],
};

export interface KafkaConfig {
  KAFKA_BROKERS: string;
  KAFKA_CLIENT_ID: string;
  KAFKA_USERNAME: string;
  KAFKA_PASSWORD: string;
  KAFKA_SASL_MECHANISM: 'scram-sha-512';
  KAFKA_SSL: boolean;
  /** PEM CA bundle path for the TLS listener (the cluster CA); system CAs when unset. */
  KAFKA_SSL_CA_FILE?: string;
}

export const kafkaSchema: EnvSchema = {
  type: 'object',
  properties: {
    KAFKA_BROKERS: { type: 'string', pattern: '^[^,:\\s]+:\\d{1,5}(,[^,:\\s]+:\\d{1,5})*$', hint: 'must be comma-separated host:port pairs' },
    KAFKA_CLIENT_ID: { type: 'string', minLength: 1 },
    KAFKA_USERNAME: { type: 'string', minLength: 1 },
    KAFKA_PASSWORD: { type: 'string', minLength: 1 },
    KAFKA_SASL_MECHANISM: { enum: ['scram-sha-512'] },
    KAFKA_SSL: { type: 'boolean' },
    KAFKA_SSL_CA_FILE: { type: 'string', minLength: 1 },
  },
  required: ['KAFKA_BROKERS', 'KAFKA_CLIENT_ID', 'KAFKA_USERNAME', 'KAFKA_PASSWORD', 'KAFKA_SASL_MECHANISM', 'KAFKA_SSL'],
};

/** Checks ajv cannot express: with TLS on, the CA bundle named must be there (a mounted Secret). */
export function checkKafkaConfig(config: KafkaConfig): string[] {
  if (config.KAFKA_SSL && config.KAFKA_SSL_CA_FILE && !existsSync(config.KAFKA_SSL_CA_FILE))
    return [`KAFKA_SSL_CA_FILE=${JSON.stringify(config.KAFKA_SSL_CA_FILE)} does not exist: mount the Kafka cluster CA certificate there`];
  return [];
}

/** A required `KAFKA_TOPIC_<X>` / `KAFKA_DLQ_TOPIC_<X>` / `KAFKA_GROUP_ID` variable. */
export function kafkaNamesSchema(...vars: string[]): EnvSchema {
  return { type: 'object', properties: Object.fromEntries(vars.map((v) => [v, topic])), required: vars };
}

export interface PostgresConfig {
  PGHOST: string;
  PGPORT: number;
  PGDATABASE: string;
  PGUSER: string;
  PGPASSWORD: string;
  /** A mounted Secret file holding the current password; when set, read on every new connection (rotation without restart). */
  PGPASSWORD_FILE?: string;
  PGSSLMODE: 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
  /** Session settings at connect, libpq style: the rendered ConfigMap puts the datastore's schema on the search path. */
  PGOPTIONS?: string;
  PG_POOL_SIZE: number;
}

export const postgresSchema: EnvSchema = {
  type: 'object',
  properties: {
    PGHOST: { type: 'string', minLength: 1 },
    PGPORT: { type: 'integer', minimum: 1, maximum: 65535 },
    PGDATABASE: { type: 'string', minLength: 1 },
    PGUSER: { type: 'string', minLength: 1 },
    PGPASSWORD: { type: 'string', minLength: 1 },
    PGPASSWORD_FILE: { type: 'string', minLength: 1 },
    PGSSLMODE: { enum: ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] },
    PGOPTIONS: { type: 'string', minLength: 1 },
    PG_POOL_SIZE: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
  },
  required: ['PGHOST', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGPASSWORD', 'PGSSLMODE'],
};

export interface RedisConfig {
  /** `redis://<host>:<port>/<db>`. */
  REDIS_URL: string;
  /** The service's ACL user, from the `<service>-redis` Secret; omitted: the server's `default` user. */
  REDIS_USERNAME?: string;
  /** Its password, from the same Secret; omit for a server without AUTH. */
  REDIS_PASSWORD?: string;
  /** The same password as a mounted file, re-read before every reconnection (a rotated password is picked up without a restart). */
  REDIS_PASSWORD_FILE?: string;
}

export const redisSchema: EnvSchema = {
  type: 'object',
  properties: {
    REDIS_URL: { type: 'string', pattern: '^rediss?://[^\\s/]+(/\\d+)?$', hint: 'must be redis://<host>:<port>/<db>' },
    REDIS_USERNAME: { type: 'string', minLength: 1, pattern: '^\\S+$', hint: 'must be an ACL user name without spaces' },
    REDIS_PASSWORD: { type: 'string', minLength: 1 },
    REDIS_PASSWORD_FILE: { type: 'string', minLength: 1 },
  },
  required: ['REDIS_URL'],
};

export interface ObjectStoreConfig {
  /** S3 API endpoint, `http(s)://<host>:<port>` (MinIO in the data namespace). */
  S3_ENDPOINT: string;
  /** The bucket the service reads and writes. */
  S3_BUCKET: string;
  /** From the `<service>-minio` Secret. */
  S3_ACCESS_KEY_ID: string;
  /** From the `<service>-minio` Secret. */
  S3_SECRET_ACCESS_KEY: string;
  /** The same secret key as a mounted file: read at start and again when the server refuses the key (a rotated key is picked up without a restart). */
  S3_SECRET_ACCESS_KEY_FILE?: string;
  /** Signing region; MinIO accepts any. */
  S3_REGION: string;
}

export const objectStoreSchema: EnvSchema = {
  type: 'object',
  properties: {
    S3_ENDPOINT: { type: 'string', pattern: '^https?://[^\\s/]+/?$', hint: 'must be http(s)://<host>:<port>' },
    S3_BUCKET: { type: 'string', pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$', hint: 'must be an S3 bucket name (3-63 lower-case letters, digits, dots, hyphens)' },
    S3_ACCESS_KEY_ID: { type: 'string', minLength: 1 },
    S3_SECRET_ACCESS_KEY: { type: 'string', minLength: 1 },
    S3_SECRET_ACCESS_KEY_FILE: { type: 'string', minLength: 1 },
    S3_REGION: { type: 'string', minLength: 1, default: 'us-east-1' },
  },
  required: ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'],
};
