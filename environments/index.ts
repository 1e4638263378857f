/** The environments, in promotion order: a change reaches dev, then staging, then prod. */
import type { EnvironmentSpec } from '../model/spec.ts';
import { dev } from './dev/index.ts';
import { prod } from './prod/index.ts';
import { staging } from './staging/index.ts';

export const environments: readonly EnvironmentSpec[] = [dev, staging, prod];
