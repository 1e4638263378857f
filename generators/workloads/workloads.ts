// A Deployment per long-running service (an Argo Rollout, generators/delivery/, for those delivered
// progressively), a CronJob per cron-job service.
import type { Deployment, DeploymentSpec } from 'kubernetes-types/apps/v1.js';
import type { CronJob, CronJobSpec } from 'kubernetes-types/batch/v1.js';
import { selectorLabels, serviceLabels } from '../core/labels.ts';
import { podTemplate } from './pod-template.ts';
import { isProgressive } from '../delivery/analysis-templates.ts';
import { serviceObject } from './service-object.ts';
import type { Generator, OutputFile } from '../core/types.ts';

export const workloads: Generator = ({ model }) =>
  model.services.filter((service) => !isProgressive(service)).map((service): OutputFile => {
    const options = { annotations: { 'gamemetrics.dev/description': service.description } };
    if (service.kind === 'cron-job') {
      const spec: CronJobSpec = {
        schedule: service.schedule!,
        timeZone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 600,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels: serviceLabels(model, service) },
          spec: { backoffLimit: 2, ttlSecondsAfterFinished: 86400, template: podTemplate(model, service, 'OnFailure') },
        },
      };
      return serviceObject<CronJob>(model, service, 'batch/v1', 'CronJob', { spec }, options);
    }
    const spec: DeploymentSpec = {
      // Autoscaled Deployments leave replicas to the HPA, so Argo CD does not fight it.
      replicas: service.scaling.mode === 'fixed' ? service.scaling.replicas : undefined,
      revisionHistoryLimit: 5,
      selector: { matchLabels: selectorLabels(service) },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
      template: podTemplate(model, service, 'Always'),
    };
    return serviceObject<Deployment>(model, service, 'apps/v1', 'Deployment', { spec }, options);
  });
