/**
 * Prepares Kafka for tests so that no test pays for it inside its timeout (setup.sh runs it):
 *  1. fetches the broker jars into the cache (see kafka-jars.ts; a no-op when complete);
 *  2. when this JDK has no CDS archive yet, runs one short broker (start, a SCRAM user, a topic,
 *     one produced and consumed message, stop), whose exit dumps the archive that makes every
 *     later broker start about twice as fast.
 *
 *   node scripts/harness/fetch-kafka.ts
 */
import { existsSync } from 'node:fs';
import { ensureKafkaJars, KAFKA_VERSION } from './kafka-jars.ts';

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** Exercises the broker paths tests use, so their classes land in the archive. */
async function warmUpBroker(): Promise<void> {
  // Loaded only here: with the jars and the archive in place (every `npm test` but the first) this script only checks.
  const { default: kafkajs } = await import('kafkajs');
  const { startKafka } = await import('./kafka.ts');
  const broker = await startKafka();
  try {
    const user = { username: 'warmup', password: 'warmup-pw' };
    await broker.createScramUsers([user]);
    const kafka = new kafkajs.Kafka({ ...broker.clientConfig(), logLevel: kafkajs.logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'warmup' }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'warmup', messages: [{ value: 'warm' }] });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: 'warmup' });
    await consumer.connect();
    await consumer.subscribe({ topic: 'warmup', fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer.run({ eachMessage: async () => resolve() }).catch(reject);
    });
    await consumer.disconnect();
  } finally {
    await broker.destroy();
  }
}

try {
  let started = Date.now();
  const jars = await ensureKafkaJars();
  console.log(`Kafka ${KAFKA_VERSION} jars ready in ${jars.libs} (${seconds(started)})`);
  if (process.env.GM_KAFKA_CDS !== 'off' && !existsSync(jars.cdsArchive)) {
    started = Date.now();
    await warmUpBroker();
    if (!existsSync(jars.cdsArchive)) throw new Error(`the warm-up broker did not leave a CDS archive at ${jars.cdsArchive}`);
    console.log(`Kafka class-data-sharing archive ready: ${jars.cdsArchive} (${seconds(started)})`);
  }
} catch (error) {
  console.error(`Could not prepare Kafka ${KAFKA_VERSION}: ${error instanceof Error ? error.message : String(error)}`);
  console.error('Maven Central must be reachable (mvn uses ~/.m2/settings.xml for proxies/mirrors); the cache root is $GM_CACHE_DIR or ~/.cache/gamemetrics-platform.');
  process.exit(1);
}
