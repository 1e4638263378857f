/**
 * How the contract's variables become client options: the cluster's TLS + SCRAM listener
 * (KAFKA_SSL=true, optionally with the cluster CA) and libpq's PGSSLMODE. The plaintext variants
 * are exercised against real servers in apps/test/event-path.test.ts; no TLS listener runs here.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { checkKafkaConfig, type KafkaConfig, type PostgresConfig } from '../config.ts';
import { kafkaClientOptions } from '../kafka.ts';
import { postgresOptions } from '../postgres.ts';

const kafka: KafkaConfig = {
  KAFKA_BROKERS: 'gamemetrics-kafka-bootstrap.kafka.svc:9093, other:9093',
  KAFKA_CLIENT_ID: 'event-ingestion',
  KAFKA_USERNAME: 'event-ingestion',
  KAFKA_PASSWORD: 'pw',
  KAFKA_SASL_MECHANISM: 'scram-sha-512',
  KAFKA_SSL: true,
};

const pgBase: PostgresConfig = {
  PGHOST: 'db',
  PGPORT: 5432,
  PGDATABASE: 'gamemetrics',
  PGUSER: 'event_processor',
  PGPASSWORD: 'pw',
  PGSSLMODE: 'require',
  PG_POOL_SIZE: 10,
};

describe('client options from the contract variables', () => {
  test('Kafka: TLS with system CAs, SCRAM-SHA-512, every broker', () => {
    const o = kafkaClientOptions(kafka);
    assert.deepEqual(o.brokers, ['gamemetrics-kafka-bootstrap.kafka.svc:9093', 'other:9093']);
    assert.equal(o.clientId, 'event-ingestion');
    assert.equal(o.ssl, true);
    assert.deepEqual(o.sasl, { mechanism: 'scram-sha-512', username: 'event-ingestion', password: 'pw' });
  });

  test('Kafka: TLS with the cluster CA from KAFKA_SSL_CA_FILE; plaintext when KAFKA_SSL=false', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gm-ca-'));
    const ca = join(dir, 'ca.crt');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    assert.deepEqual(kafkaClientOptions({ ...kafka, KAFKA_SSL_CA_FILE: ca }).ssl, { ca: ['-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'] });
    assert.equal(kafkaClientOptions({ ...kafka, KAFKA_SSL: false }).ssl, false);
    assert.deepEqual(checkKafkaConfig({ ...kafka, KAFKA_SSL_CA_FILE: ca }), []);
  });

  test('a missing CA file is a boot-time problem naming the variable (only with TLS on)', () => {
    assert.deepEqual(checkKafkaConfig({ ...kafka, KAFKA_SSL_CA_FILE: '/etc/kafka-ca/ca.crt' }), [
      'KAFKA_SSL_CA_FILE="/etc/kafka-ca/ca.crt" does not exist: mount the Kafka cluster CA certificate there',
    ]);
    assert.deepEqual(checkKafkaConfig({ ...kafka, KAFKA_SSL: false, KAFKA_SSL_CA_FILE: '/etc/kafka-ca/ca.crt' }), []);
  });

  test('PostgreSQL: PGSSLMODE decides encryption and verification', () => {
    assert.equal(postgresOptions({ ...pgBase, PGSSLMODE: 'disable' }).ssl, false);
    assert.equal(postgresOptions({ ...pgBase, PGSSLMODE: 'prefer' }).ssl, false);
    assert.deepEqual(postgresOptions(pgBase).ssl, { rejectUnauthorized: false });
    assert.deepEqual(postgresOptions({ ...pgBase, PGSSLMODE: 'verify-full' }).ssl, { rejectUnauthorized: true });
    const o = postgresOptions(pgBase);
    assert.deepEqual([o.host, o.port, o.database, o.user, o.max], ['db', 5432, 'gamemetrics', 'event_processor', 10]);
  });
});
