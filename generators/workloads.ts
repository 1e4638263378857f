// A Deployment per long-running service, a CronJob per cron-job service.
import { selectorLabels, serviceLabels, tenantPath } from './labels.ts';
import { podTemplate } from './pod-template.ts';
import type { Generator, OutputFile } from './types.ts';

export const workloads: Generator = ({ model }) =>
  model.services.map((service): OutputFile => {
    const metadata = { name: service.name, namespace: service.namespace, labels: serviceLabels(model, service), annotations: { 'gamemetrics.dev/description': service.description } };
    if (service.kind === 'cron-job') {
      return {
        path: tenantPath(service, 'CronJob', service.name),
        source: service.modelPath,
        object: {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          metadata,
          spec: {
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
          },
        },
      };
    }
    return {
      path: tenantPath(service, 'Deployment', service.name),
      source: service.modelPath,
      object: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata,
        spec: {
          // Autoscaled Deployments leave replicas to the HPA, so Argo CD does not fight it.
          replicas: service.scaling.mode === 'fixed' ? service.scaling.replicas : undefined,
          revisionHistoryLimit: 5,
          selector: { matchLabels: selectorLabels(service) },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
          template: podTemplate(model, service, 'Always'),
        },
      },
    };
  });
