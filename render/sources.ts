// The declared model: model/platform.ts and environments/index.ts, bound to the loader. Everything that
// loads "the" model by environment name (render, diff, promote, policy, tests) goes through here.
import { environments as declaredEnvironments } from '../environments/index.ts';
import type { LoadedModel } from '../model/loaded.ts';
import { type LoadOptions, tryLoadSpec } from '../model/loader.ts';
import { platform as declaredPlatform } from '../model/platform.ts';
import { ModelError, type Problem, unknownNameHint } from '../model/problems.ts';
import type { EnvironmentSpec, PlatformSpec } from '../model/spec.ts';

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
  return tryLoadSpec(options.platform ?? declaredPlatform, env, { today: options.today });
}

/** Load one environment, or throw a ModelError listing every problem. */
export function loadModel(envName: string, options: SourceOptions = {}): LoadedModel {
  const result = tryLoadModel(envName, options);
  if ('problems' in result) throw new ModelError(result.problems);
  return result.model;
}
