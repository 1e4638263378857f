// What the observability tests read from rendered/<env>/: the kube-prometheus-stack Application's Helm values
// (Alertmanager's configuration among them) and the objects of a rendered tree, parsed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { MONITORING_STACK_COMPONENT } from '../../model/platform-components.ts';

export const REPO = join(import.meta.dirname, '..', '..');

export function renderedObject(env: string, path: string): any {
  return parse(readFileSync(join(REPO, 'rendered', env, path), 'utf8'));
}

/** The Helm values of the monitoring stack's Application, as rendered. */
export function stackValues(env: string): any {
  return renderedObject(env, `apps/application-${env}-${MONITORING_STACK_COMPONENT}.yaml`).spec.source.helm.valuesObject;
}
