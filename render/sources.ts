// The declared model: model/platform.ts and environments/index.ts, bound to the loader. Everything that
// loads "the" model by environment name (render, diff, promote, policy, tests) goes through here.
import { environments as declaredEnvironments } from '../environments/index.ts';
import type { LoadedModel } from '../model/loaded.ts';
import { type LoadOptions, tryLoadSpec } from '../model/loader.ts';
import { platform as declaredPlatform } from '../model/platform.ts';
import { ModelError, type Problem, unknownNameHint } from '../model/problems.ts';
import type { EnvironmentSpec, PlatformSpec } from '../model/spec.ts';
import type { MigrationFile } from '../model/loaded.ts';
import { SCHEMA_LOCK_FILE, type SchemaLock } from '../model/schema-evolution.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root: migration folders in the model are relative to it. */
const REPOSITORY = resolve(import.meta.dirname, '..');
const migrationCache = new Map<string, MigrationFile[]>();

/** The `.sql` files of a migrations folder, in version order (read once per process). */
export function readMigrations(folder: string): MigrationFile[] {
  let files = migrationCache.get(folder);
  if (!files) {
    const dir = join(REPOSITORY, folder);
    let names: string[];
    try {
      names = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
    } catch {
      names = [];
    }
    files = names.map((file) => ({ version: Number.parseInt(file, 10), file, sql: readFileSync(join(dir, file), 'utf8') }));
    migrationCache.set(folder, files);
  }
  return files;
}

let schemaLock: SchemaLock | undefined;

/** model/topic-schemas.lock.json, the last accepted topic schemas (read once per process); {} before the first lock. */
export function readSchemaLock(): SchemaLock {
  if (!schemaLock) {
    try {
      schemaLock = JSON.parse(readFileSync(join(REPOSITORY, SCHEMA_LOCK_FILE), 'utf8')) as SchemaLock;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${SCHEMA_LOCK_FILE}: ${(e as Error).message}`);
      schemaLock = {};
    }
  }
  return schemaLock;
}

/** The migrations of every PostgreSQL datastore the platform declares, by datastore name. */
function migrationsOf(platform: PlatformSpec): Record<string, MigrationFile[]> {
  const out: Record<string, MigrationFile[]> = {};
  for (const [name, store] of Object.entries(platform.datastores)) if (store.cluster) out[name] = readMigrations(store.cluster.migrations);
  return out;
}

export interface SourceOptions extends LoadOptions {
  /** The platform spec; defaults to model/platform.ts. Tests pass edited copies. */
  platform?: PlatformSpec;
  /** The environment specs; defaults to environments/index.ts. */
  environments?: readonly EnvironmentSpec[];
}

/** The platform spec and environment specs in effect: the given ones, else the declared ones. */
export function sourcesOf(options: SourceOptions = {}): { platform: PlatformSpec; environments: readonly EnvironmentSpec[] } {
  return { platform: options.platform ?? declaredPlatform, environments: options.environments ?? declaredEnvironments };
}

/** The environments' names, in promotion order. */
export function environmentNames(options: Pick<SourceOptions, 'environments'> = {}): string[] {
  return (options.environments ?? declaredEnvironments).map((e) => e.name);
}

/** Load one environment of the declared (or given) sources, returning every problem. */
export function tryLoadModel(envName: string, options: SourceOptions = {}): { model: LoadedModel } | { problems: Problem[] } {
  const envs = options.environments ?? declaredEnvironments;
  const env = envs.find((e) => e.name === envName);
  if (!env) {
    return { problems: [{ path: ['environments'], message: `no environment named "${envName}"`, hint: unknownNameHint(envName, envs.map((e) => e.name)) }] };
  }
  const platform = options.platform ?? declaredPlatform;
  return tryLoadSpec(platform, env, { today: options.today, migrations: migrationsOf(platform), schemaLock: options.schemaLock ?? readSchemaLock() });
}

/** Load one environment, or throw a ModelError listing every problem. */
export function loadModel(envName: string, options: SourceOptions = {}): LoadedModel {
  const result = tryLoadModel(envName, options);
  if ('problems' in result) throw new ModelError(result.problems);
  return result.model;
}
