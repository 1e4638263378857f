/**
 * Cross-cutting checks that run on the loaded model after the loader's own validation, one file
 * per concern. Each returns problems (empty when the model is fine); the loader reports them with
 * its own, all at once.
 */
import type { LoadedModel } from '../loaded.ts';
import type { Problem } from '../problems.ts';
import { kafkaChecks } from './kafka.ts';

export type ModelCheck = (model: LoadedModel) => Problem[];

export const checks: ModelCheck[] = [kafkaChecks];
