/** data-retention's configuration: a cron job (no PORT), the event store, the archive bucket and the retention. */
import { baseSchema, envSchema, objectStoreSchema, postgresSchema, type BaseConfig, type EnvSchema, type ObjectStoreConfig, type PostgresConfig } from '@gamemetrics/service-kit/config.ts';

export interface RetentionConfig extends Omit<BaseConfig, 'PORT' | 'HOST'>, PostgresConfig, ObjectStoreConfig {
  /** Events older than this many days are archived, then deleted (the model's `config`). */
  RETENTION_DAYS: number;
  /** Rows per archive batch: one short DELETE transaction each. */
  RETENTION_BATCH_ROWS: number;
  /** The object-locked bucket the audit rows are exported to (control GDP-05; the model's audit bucket). */
  AUDIT_BUCKET: string;
}

const { PORT: _port, HOST: _host, ...cronProperties } = baseSchema.properties;

export const retentionSchema: EnvSchema = envSchema(
  { type: 'object', properties: cronProperties, required: baseSchema.required.filter((r) => r !== 'PORT') },
  postgresSchema,
  objectStoreSchema,
  {
    type: 'object',
    properties: {
      RETENTION_DAYS: { type: 'integer', minimum: 1, maximum: 36500 },
      RETENTION_BATCH_ROWS: { type: 'integer', minimum: 100, maximum: 500000, default: 50000 },
      AUDIT_BUCKET: { type: 'string', pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$' },
    },
    required: ['RETENTION_DAYS', 'AUDIT_BUCKET'],
  },
);
