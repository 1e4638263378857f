// A PodDisruptionBudget for every workload that always runs more than one pod. It allows one
// voluntary disruption at a time, so node drains never deadlock.
import type { PodDisruptionBudget, PodDisruptionBudgetSpec } from 'kubernetes-types/policy/v1.js';
import { selectorLabels } from '../core/labels.ts';
import { serviceObject } from './service-object.ts';
import type { Generator } from '../core/types.ts';

export const disruptionBudgets: Generator = ({ model }) =>
  model.services.flatMap((service) => {
    if (service.kind === 'cron-job') return [];
    const minimum = service.scaling.mode === 'fixed' ? service.scaling.replicas : service.scaling.minReplicas;
    if (minimum < 2) return [];
    const spec: PodDisruptionBudgetSpec = { maxUnavailable: 1, selector: { matchLabels: selectorLabels(service) } };
    return [serviceObject<PodDisruptionBudget>(model, service, 'policy/v1', 'PodDisruptionBudget', { spec }, { sourceSuffix: '.scaling' })];
  });
