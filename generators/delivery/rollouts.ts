// Argo Rollouts for the services the model delivers progressively (`delivery`), in place of their
// Deployment: the same pod template and selector, and a strategy
// - canary: 10 % → 50 % → 100 % of the pods, each step held five minutes and then analysed (the SLOs'
//   SLIs over the canary's own pods, analysis-templates.ts); a failed analysis aborts and scales the
//   canary away (rollback);
// - blue-green: the new version behind the preview Service, analysed before it takes the active Service (a
//   failed analysis aborts: the active Service never leaves the old pods, and the new ones are scaled away after
//   BLUE_GREEN_ABORT_SCALE_DOWN_DELAY_SECONDS), and again after the switch, while the old pods stay
//   BLUE_GREEN_SCALE_DOWN_DELAY_SECONDS: a failed post-promotion analysis aborts and switches the active Service
//   back to them. Both analyses end well within that delay (the controller cancels one still running then).
import type { IRollout } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout';
import type { LoadedModel, LoadedService } from '../../model/loaded.ts';
import { customObject } from '../core/plain-object.ts';
import { selectorLabels, serviceLabels } from '../core/labels.ts';
import { tenantPath } from '../core/paths.ts';
import type { Generator, OutputFile } from '../core/types.ts';
import { podTemplate } from '../workloads/pod-template.ts';
import { analysisRef, isProgressive } from './analysis-templates.ts';

/** Canary weights, in order; each but the last is held `CANARY_PAUSE` and analysed. */
export const CANARY_WEIGHTS = [10, 50, 100] as const;
export const CANARY_PAUSE = '5m';
/** How long the old pods of a blue-green rollout stay after the switch: the way back of a failed post-promotion analysis. */
export const BLUE_GREEN_SCALE_DOWN_DELAY_SECONDS = 600;
/** How long the new pods of an aborted blue-green rollout stay, for a look at them before they go. */
export const BLUE_GREEN_ABORT_SCALE_DOWN_DELAY_SECONDS = 30;

export function previewServiceName(service: LoadedService): string {
  return `${service.name}-preview`;
}

function strategy(service: LoadedService): NonNullable<IRollout['spec']['strategy']> {
  const analysis = analysisRef(service);
  if (service.delivery === 'blue-green')
    return {
      blueGreen: {
        activeService: service.name,
        previewService: previewServiceName(service),
        autoPromotionEnabled: true,
        prePromotionAnalysis: analysis,
        postPromotionAnalysis: analysis,
        scaleDownDelaySeconds: BLUE_GREEN_SCALE_DOWN_DELAY_SECONDS,
        abortScaleDownDelaySeconds: BLUE_GREEN_ABORT_SCALE_DOWN_DELAY_SECONDS,
      },
    };
  const steps = CANARY_WEIGHTS.flatMap((weight, i) => (i === CANARY_WEIGHTS.length - 1 ? [{ setWeight: weight }] : [{ setWeight: weight }, { pause: { duration: CANARY_PAUSE } }, { analysis }]));
  return { canary: { maxSurge: '25%', maxUnavailable: 0, steps } };
}

export function rollout(model: LoadedModel, service: LoadedService): OutputFile {
  return {
    path: tenantPath(service, 'Rollout', service.name),
    source: `${service.modelPath}.delivery`,
    object: customObject<IRollout>({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: service.name, namespace: service.namespace, labels: serviceLabels(model, service), annotations: { 'gamemetrics.dev/description': service.description } },
      spec: {
        // Autoscaled Rollouts leave replicas to the HPA, as Deployments do.
        replicas: service.scaling.mode === 'fixed' ? service.scaling.replicas : undefined,
        revisionHistoryLimit: 5,
        selector: { matchLabels: selectorLabels(service) },
        template: podTemplate(model, service, 'Always') as IRollout['spec']['template'],
        strategy: strategy(service),
      },
    }),
  };
}

export const rollouts: Generator = ({ model }) => model.services.filter(isProgressive).map((service) => rollout(model, service));
