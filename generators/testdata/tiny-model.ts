// The tiny platform (tiny-platform.ts) loaded for one of its environments (tiny-environments.ts)
// by the real loader. Tests pass edited copies of either spec to see what a change renders.
import type { LoadedModel, MigrationFile } from '../../model/loaded.ts';
import { loadSpec } from '../../model/loader.ts';
import type { EnvironmentSpec, PlatformSpec } from '../../model/spec.ts';
import { type TinyEnvironmentSpec, tinyEnvironments } from './tiny-environments.ts';
import { type TinyPlatformSpec, tinyPlatform } from './tiny-platform.ts';

/** The date waivers are checked against, so the goldens never expire. */
export const TINY_TODAY = '2026-11-22';
export type TinyEnv = keyof typeof tinyEnvironments;
export const TINY_ENVS = Object.keys(tinyEnvironments) as TinyEnv[];

/** The ledger's migrations (the real model's are files that render/sources.ts reads). */
export const TINY_MIGRATIONS: MigrationFile[] = [
  { version: 1, file: '0001_scores.sql', sql: 'CREATE TABLE scores (player text NOT NULL, score integer NOT NULL);\n' },
  { version: 2, file: '0002_players.sql', sql: 'CREATE TABLE players (id text PRIMARY KEY);\n' },
];

export interface TinyEdits {
  /** The platform spec to load instead of tiny-platform.ts (an edited structuredClone of it). */
  platform?: TinyPlatformSpec;
  /** The environment spec to load instead of the named one. */
  environment?: TinyEnvironmentSpec;
}

export function loadTiny(env: TinyEnv, edits: TinyEdits = {}): LoadedModel {
  // The tiny names are not model/names.ts's: the loader checks them at run time like any other.
  const platform = (edits.platform ?? tinyPlatform) as unknown as PlatformSpec;
  const environment = (edits.environment ?? tinyEnvironments[env]) as unknown as EnvironmentSpec;
  return loadSpec(platform, environment, { today: TINY_TODAY, migrations: { ledger: TINY_MIGRATIONS } });
}

/** A deep copy of the tiny platform spec, to edit. */
export function tinyPlatformCopy(): TinyPlatformSpec {
  return structuredClone(tinyPlatform);
}
