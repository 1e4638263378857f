/**
 * Fetches the Apache Kafka broker jars from Maven Central (with Maven) into a cache outside the
 * repository, once, and compiles the harness's small Java helper (ScramUsers.java) next to them.
 *
 *   cache root:  $GM_CACHE_DIR, default ~/.cache/gamemetrics-platform
 *   jars:        <root>/kafka-<KAFKA_VERSION>/libs/*.jar
 *   helper:      <root>/kafka-<KAFKA_VERSION>/helper-<source hash>/ScramUsers.class
 *   CDS archive: <root>/kafka-<KAFKA_VERSION>/cds/broker-<jdk key>.jsa
 *
 * Each folder is built in a temp folder and renamed into place, so concurrent test files never
 * see half a cache. Run `node scripts/harness/fetch-kafka.ts`
 * (setup.sh does) to pay for the download outside any test timeout.
 *
 * The CDS archive (JDK class-data sharing) is a snapshot of the classes a broker loaded, dumped
 * by the JVM when a broker exits (-XX:ArchiveClassesAtExit); later JVMs map it instead of loading
 * and verifying ~4000 classes from the jars, which halves broker start time. It is keyed by the
 * JDK binary, so a JDK upgrade simply makes a new one.
 */
import { createHash } from 'node:crypto';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findCommand, requireCommand, runTool } from './process.ts';

/**
 * The pinned broker version. 4.3.1 is the newest 4.x whose artifacts are all on Maven Central:
 * kafka_2.13 4.4.0 is listed there, but its dependency kafka-tools-api 4.4.0 is not published.
 */
export const KAFKA_VERSION = '4.3.1';
/** slf4j 1.x binding for the log4j2 that Kafka already depends on (Kafka ships none in its pom). */
const LOG4J_VERSION = '2.25.4';

export interface KafkaJars {
  /** Folder with every runtime jar. */
  libs: string;
  /** Folder with the compiled ScramUsers helper class. */
  helper: string;
  /** `java -cp` for the broker: the jars only (the CDS archive is made with exactly this). */
  brokerClasspath: string;
  /** `java -cp` for tools: the broker classpath plus the helper (a CDS-compatible suffix). */
  toolsClasspath: string;
  /** Where this JDK's CDS archive lives (it may not exist yet). */
  cdsArchive: string;
}

/** The cache root: $GM_CACHE_DIR or ~/.cache/gamemetrics-platform. */
export function cacheRoot(): string {
  return process.env.GM_CACHE_DIR || join(homedir(), '.cache', 'gamemetrics-platform');
}

/** Identifies the JDK: its resolved `java` binary and that file's size and time. */
function jdkKey(): string {
  const java = findCommand('java');
  if (!java) return 'none';
  const real = realpathSync(java);
  const stat = statSync(real);
  return createHash('sha256').update(`${real}:${stat.size}:${stat.mtimeMs}`).digest('hex').slice(0, 12);
}

function layout(root: string, helperHash: string): KafkaJars {
  const libs = join(root, 'libs');
  const helper = join(root, `helper-${helperHash}`);
  return {
    libs,
    helper,
    brokerClasspath: `${libs}/*`,
    toolsClasspath: `${libs}/*:${helper}`,
    cdsArchive: join(root, 'cds', `broker-${jdkKey()}.jsa`),
  };
}

const HELPER_SOURCE = join(dirname(fileURLToPath(import.meta.url)), 'ScramUsers.java');

function pom(): string {
  const dep = (group: string, artifact: string, version: string) =>
    `<dependency><groupId>${group}</groupId><artifactId>${artifact}</artifactId><version>${version}</version></dependency>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>gamemetrics.harness</groupId>
  <artifactId>kafka-broker-jars</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    ${dep('org.apache.kafka', 'kafka_2.13', KAFKA_VERSION)}
    ${dep('org.apache.logging.log4j', 'log4j-slf4j-impl', LOG4J_VERSION)}
  </dependencies>
</project>
`;
}

/** Checks the Java toolchain the broker needs, with an install hint. */
export function requireJava(): void {
  const hint = 'Install a JDK 17 and Maven (Debian: apt-get install -y openjdk-17-jdk-headless maven), or run scripts/harness/setup.sh.';
  requireCommand('java', hint);
  requireCommand('javac', hint);
  requireCommand('mvn', hint);
}

/**
 * Builds `target` (a folder) through `build(staging)` unless it exists, then renames the staging
 * folder into place: readers never see half a folder, and when another process finished the same
 * build first, theirs is kept (it may be in use).
 */
async function buildOnce(target: string, build: (staging: string) => Promise<void>): Promise<void> {
  if (existsSync(target)) return;
  const staging = `${target}.tmp-${process.pid}-${Date.now()}`;
  try {
    await mkdir(staging, { recursive: true });
    await build(staging);
    if (existsSync(target)) return;
    try {
      await rename(staging, target);
    } catch (error) {
      if (!existsSync(target)) throw error;
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Returns the cached jars and helper, fetching and compiling what is missing. */
export async function ensureKafkaJars(): Promise<KafkaJars> {
  const root = join(cacheRoot(), `kafka-${KAFKA_VERSION}`);
  const source = await readFile(HELPER_SOURCE, 'utf8');
  // The helper is part of the repo: a changed source compiles into a new folder, the jars stay.
  const jars = layout(root, createHash('sha256').update(source).digest('hex').slice(0, 12));
  if (existsSync(jars.libs) && existsSync(jars.helper)) return jars;

  requireJava();
  await mkdir(root, { recursive: true });
  await buildOnce(jars.libs, async (staging) => {
    const pomFile = join(staging, 'pom.xml');
    await writeFile(pomFile, pom());
    await runTool(
      `Fetching Kafka ${KAFKA_VERSION} jars from Maven Central`,
      'mvn',
      ['-q', '-B', '-f', pomFile, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${staging}`],
      { timeoutMs: 600_000 },
    );
    await rm(pomFile);
  });
  await buildOnce(jars.helper, async (staging) => {
    await writeFile(join(staging, 'ScramUsers.java'), source);
    await runTool('Compiling the ScramUsers helper', 'javac', ['-cp', `${jars.libs}/*`, '-d', staging, join(staging, 'ScramUsers.java')]);
  });
  return jars;
}
