/**
 * Cross-cutting checks that run on the loaded model after the loader's own validation, one file
 * per concern. Each returns problems (empty when the model is fine); the loader reports them with
 * its own, all at once.
 */
import type { LoadedModel } from '../loaded.ts';
import type { Problem } from '../problems.ts';
import type { EnvironmentSpec, PlatformSpec } from '../spec.ts';
import { kafkaChecks } from './kafka.ts';
import { observabilityChecks } from './observability.ts';

/** The specs the model was loaded from: to tell where a value was written (the environment or the model). */
export interface ModelSources {
  platform: PlatformSpec;
  environment: EnvironmentSpec;
}

export type ModelCheck = (model: LoadedModel, sources: ModelSources) => Problem[];

export const checks: ModelCheck[] = [kafkaChecks, observabilityChecks];
