// One SLO's Prometheus rule group, at parity with Sloth: the error ratio over every window, the
// objective, budget and burn-rate series, and the multiwindow multi-burn-rate page and ticket alerts
// (Google SRE workbook, ch. 5). Names and labels are the contract in docs/slos.md.
import type { LoadedModel, LoadedService, LoadedSlo } from '../../../model/loaded.ts';
import { FRESHNESS_BREACH_RECORD, errorBudget, errorRatioRecord, freshnessBreach, objectiveRatio, sliErrorRatio, sloLabels, sloSelector, sloWindows } from './sli.ts';
import { runbookUrl } from './runbooks.ts';

export interface RecordingRule {
  record: string;
  expr: string;
  labels: Record<string, string>;
}

export interface AlertingRule {
  alert: string;
  expr: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface RuleGroup {
  name: string;
  rules: Array<RecordingRule | AlertingRule>;
}

export const PAGE_ALERT = 'SLOErrorBudgetBurnPage';
export const TICKET_ALERT = 'SLOErrorBudgetBurnTicket';

/** A pair of windows that must both burn faster than `factor` × the budget rate for the alert to fire. */
export interface BurnCondition {
  short: string;
  long: string;
  factor: number;
}

/**
 * The burn-rate conditions of each alert: page when 2 % of a 30-day budget goes in an hour or 5 % in six hours;
 * ticket when 10 % goes in a day or the whole budget would go within the window (1×) over three days.
 */
export const BURN_ALERTS: ReadonlyArray<{ alert: string; severity: 'critical' | 'warning'; conditions: readonly BurnCondition[] }> = [
  { alert: PAGE_ALERT, severity: 'critical', conditions: [{ short: '5m', long: '1h', factor: 14.4 }, { short: '30m', long: '6h', factor: 6 }] },
  { alert: TICKET_ALERT, severity: 'warning', conditions: [{ short: '2h', long: '1d', factor: 3 }, { short: '6h', long: '3d', factor: 1 }] },
];

/** Rule group name of one SLO. */
export function sloGroupName(service: LoadedService, slo: LoadedSlo): string {
  return `slo-${service.name}-${slo.name}`;
}

export function sloRuleGroup(model: LoadedModel, service: LoadedService, slo: LoadedSlo): RuleGroup {
  const labels = { ...sloLabels(service, slo) };
  const selector = sloSelector(labels);
  const budget = errorBudget(slo);
  const rules: Array<RecordingRule | AlertingRule> = [];
  if (slo.kind === 'freshness') rules.push({ record: FRESHNESS_BREACH_RECORD, expr: freshnessBreach(service, slo), labels });
  for (const window of sloWindows(slo)) rules.push({ record: errorRatioRecord(window), expr: sliErrorRatio(service, slo, window), labels });
  rules.push(
    { record: 'slo:objective:ratio', expr: `vector(${objectiveRatio(slo)})`, labels },
    { record: 'slo:error_budget:ratio', expr: `vector(${budget})`, labels },
    { record: 'slo:current_burn_rate:ratio', expr: `${errorRatioRecord('5m')}${selector} / ${budget}`, labels },
    { record: 'slo:period_burn_rate:ratio', expr: `${errorRatioRecord(slo.window)}${selector} / ${budget}`, labels },
    { record: 'slo:period_error_budget_remaining:ratio', expr: `1 - slo:period_burn_rate:ratio${selector}`, labels },
  );
  for (const { alert, severity, conditions } of BURN_ALERTS) {
    const expr = conditions
      .map(({ short, long, factor }) => `(${errorRatioRecord(short)}${selector} > (${factor} * ${budget}) and ${errorRatioRecord(long)}${selector} > (${factor} * ${budget}))`)
      .join(' or ');
    const pairs = conditions.map(({ short, long, factor }) => `${factor}× over ${short} and ${long}`).join(', or ');
    rules.push({
      alert,
      expr,
      labels: { ...labels, severity },
      annotations: {
        summary: `${service.name}: the ${slo.name} SLO (${slo.objective} % over ${slo.window}) is burning its error budget too fast`,
        description: `${slo.description} Its error ratio is above ${pairs} the budget rate (${budget} of requests or time over ${slo.window}).`,
        runbook_url: runbookUrl(model, alert),
      },
    });
  }
  return { name: sloGroupName(service, slo), rules };
}
