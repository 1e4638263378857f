/** model-training's configuration: identity, the models bucket (docs/service-contract.md) and the run's knobs. */
import { baseSchema, envSchema, objectStoreSchema, type BaseConfig, type EnvSchema, type ObjectStoreConfig } from '@gamemetrics/service-kit/config.ts';

export interface TrainingConfig extends Omit<BaseConfig, 'PORT'>, ObjectStoreConfig {
  /** Seed of the generated data; by default the ISO week of the run (one version per week). */
  TRAINING_SEED?: number;
  TRAINING_SAMPLES: number;
}

const base = { ...baseSchema, properties: { ...baseSchema.properties }, required: baseSchema.required.filter((r) => r !== 'PORT') };
delete base.properties.PORT;

export const trainingSchema: EnvSchema = envSchema(base, objectStoreSchema, {
  type: 'object',
  properties: {
    TRAINING_SEED: { type: 'integer', minimum: 0 },
    TRAINING_SAMPLES: { type: 'integer', minimum: 100, maximum: 5000000, default: 200000 },
  },
  required: [],
});
