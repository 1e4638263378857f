/**
 * Fetches the Apache Kafka broker jars from Maven Central (with Maven) into a cache outside the
 * repository, once, and compiles the harness's small Java helpers next to them.
 *
 *   cache root:  $GM_CACHE_DIR, default ~/.cache/gamemetrics-platform
 *   jars:        <root>/kafka-<KAFKA_VERSION>/libs/*.jar
 *   helpers:     <root>/kafka-<KAFKA_VERSION>/harness-<sources hash>/gm-harness.jar
 *                (FormatAndStart.java, ScramUsers.java from this folder)
 *   CDS archive: <root>/kafka-<KAFKA_VERSION>/cds/broker-<jdk key>-<sources hash>.jsa
 *
 * Each folder is built in a temp folder and renamed into place, so concurrent test files never
 * see half a cache. Run `node scripts/harness/fetch-kafka.ts`
 * (setup.sh does) to pay for the download outside any test timeout.
 *
 * The CDS archive (JDK class-data sharing) is a snapshot of the classes a broker loaded, dumped
 * by the JVM when a broker exits (-XX:ArchiveClassesAtExit); later JVMs map it instead of loading
 * and verifying ~4000 classes from the jars, which halves broker start time. It is keyed by the
 * JDK binary and the classpath, so a JDK upgrade or changed helpers simply make a new one.
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
  /** The harness's own classes (FormatAndStart, ScramUsers) as a jar. */
  harnessJar: string;
  /** `java -cp` for the broker and the tools: the Kafka jars and the harness jar. */
  classpath: string;
  /** Where the CDS archive for this JDK and classpath lives (it may not exist yet). */
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
  // CDS refuses non-empty directories on the classpath: the harness classes go in a jar.
  const harnessJar = join(root, `harness-${helperHash}`, 'gm-harness.jar');
  return {
    libs,
    harnessJar,
    classpath: `${libs}/*:${harnessJar}`,
    cdsArchive: join(root, 'cds', `broker-${jdkKey()}-${helperHash}.jsa`),
  };
}

const HERE = dirname(fileURLToPath(import.meta.url));
/** The harness's Java sources, compiled into the harness jar. */
const HELPER_SOURCES = ['FormatAndStart.java', 'ScramUsers.java'];

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

/**
 * Checks the Java programs Kafka needs, with an install hint: `java` to run the broker and, with
 * `build` (filling the cache), also javac, jar and mvn.
 */
export function requireJava(build = true): void {
  const hint = 'Install a JDK 17 and Maven (Debian: apt-get install -y openjdk-17-jdk-headless maven), or run scripts/harness/setup.sh.';
  for (const command of build ? ['java', 'javac', 'jar', 'mvn'] : ['java']) requireCommand(command, hint);
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

/** Returns the cached jars and harness jar, fetching and compiling what is missing. */
export async function ensureKafkaJars(): Promise<KafkaJars> {
  const root = join(cacheRoot(), `kafka-${KAFKA_VERSION}`);
  const sources = await Promise.all(HELPER_SOURCES.map(async (name) => ({ name, text: await readFile(join(HERE, name), 'utf8') })));
  // The helpers are part of the repo: changed sources compile into a new folder, the jars stay.
  const hash = createHash('sha256');
  for (const source of sources) hash.update(`${source.name}\0${source.text}\0`);
  const jars = layout(root, hash.digest('hex').slice(0, 12));
  if (existsSync(jars.libs) && existsSync(jars.harnessJar)) return jars;

  requireJava();
  await mkdir(root, { recursive: true });
  await buildOnce(jars.libs, async (staging) => {
    const pomFile = join(staging, 'pom.xml');
    await writeFile(pomFile, pom());
    await runTool(
      `Fetching Kafka ${KAFKA_VERSION} jars from Maven Central`,
      'mvn',
      ['-q', '-B', '-Dstyle.color=never', '-f', pomFile, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${staging}`],
      { timeoutMs: 600_000 },
    );
    await rm(pomFile);
  });
  await buildOnce(dirname(jars.harnessJar), async (staging) => {
    const classes = join(staging, 'classes');
    for (const source of sources) await writeFile(join(staging, source.name), source.text);
    await runTool('Compiling the harness Java helpers', 'javac', [
      '-cp', `${jars.libs}/*`, '-d', classes, ...sources.map((source) => join(staging, source.name)),
    ]);
    await runTool('Packing the harness jar', 'jar', ['cf', join(staging, 'gm-harness.jar'), '-C', classes, '.']);
    await rm(classes, { recursive: true });
  });
  return jars;
}
