// The analysis that gates a progressive delivery: an AnalysisTemplate per service delivered by canary or
// blue-green, one metric per availability or latency SLO whose query is that SLO's own SLI
// (generators/observability/slo/sli.ts) over five minutes, narrowed to the new version's pods: the
// Rollout passes the pod-template hash of its latest ReplicaSet as an argument, and the ServiceMonitor
// copies that pod label onto the series. A metric fails when the new pods' error ratio exceeds the error
// budget (the objective is breached); with no traffic the query returns nothing, which passes.
import type { IAnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate';
import type { LoadedModel, LoadedService, LoadedSlo } from '../../model/loaded.ts';
import { customObject } from '../core/plain-object.ts';
import { ROLLOUT_POD_HASH_LABEL, prometheusLabelName, serviceLabels } from '../core/labels.ts';
import { tenantPath } from '../core/paths.ts';
import type { Generator, OutputFile } from '../core/types.ts';
import { errorBudget, isRequestSli, sliErrorRatio } from '../observability/slo/sli.ts';
import { stackEndpoints } from '../observability/stack/names.ts';

/** The SLI window an analysis measures, how often and how many times. */
export const ANALYSIS_WINDOW = '5m';
export const ANALYSIS_INTERVAL = '1m';
export const ANALYSIS_COUNT = 5;
/** The analysis argument that carries the pod-template hash of the pods under judgement. */
export const POD_HASH_ARG = 'pod-template-hash';

/** How a Rollout calls its analysis: with the hash of its latest pods (the canary, or the blue-green preview). */
export function analysisRef(service: LoadedService) {
  return { templates: [{ templateName: analysisTemplateName(service) }], args: [{ name: POD_HASH_ARG, valueFrom: { podTemplateHashValue: 'Latest' as const } }] };
}

/** The series matcher that keeps only the pods whose template hash the analysis was given. */
export const POD_HASH_MATCHER = `${prometheusLabelName(ROLLOUT_POD_HASH_LABEL)}="{{args.${POD_HASH_ARG}}}"`;

export function analysisTemplateName(service: LoadedService): string {
  return `${service.name}-slo`;
}

/** The SLOs an analysis judges: what the new pods' answers show. */
export function analysedSlos(service: LoadedService): LoadedSlo[] {
  return service.slos.filter(isRequestSli);
}

export function isProgressive(service: LoadedService): boolean {
  return service.delivery !== 'rolling';
}

/** The object that runs a service's pods, as autoscalers name it: its CronJob, Rollout (progressive delivery) or Deployment. */
export function workloadRef(service: LoadedService): { apiVersion: string; kind: string; name: string } {
  if (service.kind === 'cron-job') return { apiVersion: 'batch/v1', kind: 'CronJob', name: service.name };
  return isProgressive(service) ? { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: service.name } : { apiVersion: 'apps/v1', kind: 'Deployment', name: service.name };
}

function metric(model: LoadedModel, service: LoadedService, slo: LoadedSlo) {
  const budget = errorBudget(slo);
  return {
    name: slo.name,
    interval: ANALYSIS_INTERVAL,
    count: ANALYSIS_COUNT,
    // One measurement above the budget aborts the rollout; an empty result (no traffic) is a success.
    failureLimit: 0,
    successCondition: `len(result) == 0 || result[0] <= ${budget}`,
    failureCondition: `len(result) > 0 && result[0] > ${budget}`,
    provider: { prometheus: { address: stackEndpoints(model).prometheus, query: sliErrorRatio(service, slo, ANALYSIS_WINDOW, POD_HASH_MATCHER) } },
  };
}

export const analysisTemplates: Generator = ({ model }) =>
  model.services.filter(isProgressive).map((service): OutputFile => {
    const name = analysisTemplateName(service);
    return {
      path: tenantPath(service, 'AnalysisTemplate', name),
      source: `${service.modelPath}.slos`,
      object: customObject<IAnalysisTemplate>({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'AnalysisTemplate',
        metadata: { name, namespace: service.namespace, labels: serviceLabels(model, service) },
        spec: { args: [{ name: POD_HASH_ARG }], metrics: analysedSlos(service).map((slo) => metric(model, service, slo)) },
      }),
    };
  });
