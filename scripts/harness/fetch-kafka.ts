/**
 * Pre-fetches the Kafka broker jars into the cache (see kafka-jars.ts), so that no test pays for
 * the download inside its timeout. setup.sh runs it; it is a no-op when the cache is complete.
 *
 *   node scripts/harness/fetch-kafka.ts
 */
import { ensureKafkaJars, KAFKA_VERSION } from './kafka-jars.ts';

const started = Date.now();
try {
  const jars = await ensureKafkaJars();
  console.log(`Kafka ${KAFKA_VERSION} jars ready in ${jars.libs} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
} catch (error) {
  console.error(`Could not prepare the Kafka ${KAFKA_VERSION} jars: ${error instanceof Error ? error.message : String(error)}`);
  console.error('Maven Central must be reachable (mvn uses ~/.m2/settings.xml for proxies/mirrors); the cache root is $GM_CACHE_DIR or ~/.cache/gamemetrics-platform.');
  process.exit(1);
}
