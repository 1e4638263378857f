// Prometheus rule groups as plain data (what a PrometheusRule's spec.groups holds), and the alert shape every
// rule of the platform follows: labels `severity` and `tenant`, annotations `summary`, `description` and
// `runbook_url` pointing at docs/runbooks/<alert>.md.
import type { LoadedModel } from '../../../model/loaded.ts';

export type Severity = 'critical' | 'warning' | 'info';
/** The `tenant` label of alerts about what the platform team runs. */
export const PLATFORM_TENANT = 'platform';
/** Repository folder of the runbooks; each alert's is `<folder>/<alert>.md`. */
export const RUNBOOKS_DIR = 'docs/runbooks';

export interface AlertingRule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: Severity; tenant: string; [label: string]: string };
  annotations: { summary: string; description: string; runbook_url: string };
}

export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

export type Rule = AlertingRule | RecordingRule;

export interface RuleGroup {
  name: string;
  interval?: string;
  rules: Rule[];
}

export function isAlertingRule(rule: Rule): rule is AlertingRule {
  return 'alert' in rule;
}

/** Where an alert's runbook is browsed. */
export function runbookUrl(model: LoadedModel, alert: string): string {
  return `${model.observability.runbookBaseUrl}/${RUNBOOKS_DIR}/${alert}.md`;
}

export interface AlertSpec {
  alert: string;
  expr: string;
  for?: string;
  severity: Severity;
  tenant: string;
  /** Extra static labels (service, consumer group, topic, datastore). */
  labels?: Record<string, string>;
  summary: string;
  description: string;
}

/** An alerting rule with the platform's labels and annotations. */
export function alertingRule(model: LoadedModel, spec: AlertSpec): AlertingRule {
  return {
    alert: spec.alert,
    expr: spec.expr,
    ...(spec.for ? { for: spec.for } : {}),
    labels: { severity: spec.severity, tenant: spec.tenant, ...spec.labels },
    annotations: { summary: spec.summary, description: spec.description, runbook_url: runbookUrl(model, spec.alert) },
  };
}

/** A label matcher value matching exactly these strings (regex metacharacters escaped). */
export function exactly(values: readonly string[]): string {
  return values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\\\$&')).join('|');
}

/**
 * One rule per tenant, scoped to the tenant's namespaces, and one for everything else (tenant `platform`):
 * `build` gets the namespace matcher to put in every selector and the tenant the alert belongs to.
 */
export function perTenant(model: LoadedModel, build: (namespaces: string, tenant: string) => AlertingRule): AlertingRule[] {
  const all = model.tenants.flatMap((t) => t.namespaces);
  return [
    ...model.tenants.map((t) => build(`namespace=~"${exactly(t.namespaces)}"`, t.name)),
    build(`namespace!~"${exactly(all)}"`, PLATFORM_TENANT),
  ];
}

/** Seconds in a model duration such as `26h` (model/quantities.ts validated it when loading). */
export function promDuration(seconds: number): string {
  return seconds % 3600 === 0 ? `${seconds / 3600}h` : seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
}
