/**
 * The kafkajs client built from the KAFKA_* variables: SCRAM-SHA-512 over TLS in the cluster
 * (KAFKA_SSL=true), SASL over plaintext against a local broker (KAFKA_SSL=false). kafkajs logs go
 * through the service's pino logger.
 */
import { readFileSync } from 'node:fs';
import type { Kafka as KafkaClient, KafkaConfig as KafkaJsConfig, logCreator } from 'kafkajs';
import kafkajs, { fastPaths, KAFKAJS_VERSION } from './kafkajs.ts';
import type { FastifyBaseLogger as Logger } from 'fastify';
import type { KafkaConfig } from './config.ts';

// kafkajs is CommonJS: only its default export is reliable under ESM.
const { Kafka, logLevel } = kafkajs;

function pinoLogCreator(logger: Logger): logCreator {
  const child = logger.child({ component: 'kafkajs' });
  return () => ({ namespace, level, log }) => {
    const { message, ...extra } = log;
    const fields = { namespace, ...extra };
    if (level === logLevel.ERROR) child.error(fields, message);
    else if (level === logLevel.WARN) child.warn(fields, message);
    else if (level === logLevel.INFO) child.info(fields, message);
    else child.debug(fields, message);
  };
}

/** kafkajs client options from the contract's variables. */
export function kafkaClientOptions(config: KafkaConfig): KafkaJsConfig {
  return {
    clientId: config.KAFKA_CLIENT_ID,
    brokers: config.KAFKA_BROKERS.split(',').map((b) => b.trim()),
    ssl: config.KAFKA_SSL ? (config.KAFKA_SSL_CA_FILE ? { ca: [readFileSync(config.KAFKA_SSL_CA_FILE, 'utf8')] } : true) : false,
    sasl: { mechanism: 'scram-sha-512', username: config.KAFKA_USERNAME, password: config.KAFKA_PASSWORD },
    connectionTimeout: 3000,
    authenticationTimeout: 5000,
    requestTimeout: 10000,
    retry: { initialRetryTime: 100, retries: 3, maxRetryTime: 2000 },
  };
}

/**
 * Without the fast paths kafkajs still works, at about twice the CPU per event: a warning in
 * development, a refusal to start (exit 1, one line saying why) with NODE_ENV=production.
 */
export function checkFastPaths(logger: Logger): void {
  if (fastPaths.active) logger.info({ kafkajsFastPaths: fastPaths.reason }, 'kafkajs fast paths in effect');
  else if (process.env.NODE_ENV === 'production') {
    process.stderr.write(
      `kafkajs fast paths not in effect (${fastPaths.reason}); NODE_ENV=production refuses to run kafkajs unpatched: install the locked kafkajs ${KAFKAJS_VERSION} (npm ci) and load kafkajs only through apps/lib/kafkajs.ts\n`,
    );
    process.exit(1);
  } else logger.warn({ kafkajsFastPaths: fastPaths.reason }, 'kafkajs fast paths not in effect: kafkajs runs unchanged, slower per record');
}

export function createKafka(config: KafkaConfig, logger: Logger): KafkaClient {
  checkFastPaths(logger);
  // kafkajs's own WARN logs are noisy during broker restarts; INFO keeps connection events.
  return new Kafka({ ...kafkaClientOptions(config), logLevel: logLevel.WARN, logCreator: pinoLogCreator(logger) });
}
