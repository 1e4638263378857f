/**
 * The SLO alerts' promtool unit tests, generated per SLO from the loaded model and run against the
 * rendered rule groups (rendered/<env>/platform/slo-rules/). For each SLO:
 * - `page`: after two clean hours the error ratio burns at 1.1 × 14.4 × the budget rate; the 5m/1h pair
 *   trips after 60 min × 14.4 / 15.84 ≈ 55 min, so the page alert is silent at 40 % of that and fires, with
 *   its labels and annotations, 10 minutes after it;
 * - `page-at-1x`: burning at exactly the budget rate for two hours never pages;
 * - `ticket`: after three clean days the ratio burns at 1.1 × 3 × the budget rate; the 2h/1d pair trips
 *   after ≈ 22 h: silent at half of that, firing 4 h after it;
 * (freshness SLIs are shares of time, whole stale steps per cycle: their burns round up to the next step.)
 * - `ticket-below-1x`: 0.9 × the budget rate for three and a half days never raises a ticket;
 * - `ratios`: a constant error ratio of 1/64 is what every window's recording rule gives, with the
 *   objective, budget, burn-rate and remaining-budget series that follow from it;
 * - `zero-traffic`: counters that never move record no ratio (no NaN) and raise no alert.
 * `sloUnitTests(env)` writes them to a temp dir; `run()` runs `promtool test rules` on them, skipping files
 * whose rules and tests another environment's run in this process already passed byte for byte.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse, stringify } from 'yaml';
import type { LoadedModel, LoadedService, LoadedSlo } from '../../model/loaded.ts';
import { SLO_RULES_COMPONENT } from '../../model/platform-components.ts';
import { renderedPath } from '../../generators/core/paths.ts';
import { BURN_ALERTS, PAGE_ALERT, TICKET_ALERT, sloGroupName, type RuleGroup } from '../../generators/observability/slo/rules.ts';
import { errorBudget, errorRatioRecord, objectiveRatio, sloLabels, sloWindows, type SloLabels } from '../../generators/observability/slo/sli.ts';
import { loadModel } from '../../render/sources.ts';

const REPO = join(import.meta.dirname, '..', '..');

/** Burn factors the scenarios use, relative to each alert's own threshold. */
export const OVER_THRESHOLD = 1.1;
export const UNDER_BUDGET_RATE = 0.9;

type Series = { series: string; values: string };
type Labels = Record<string, string>;

function seriesText(name: string, labels: Labels): string {
  return `${name}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',')}}`;
}

/** Values of a cumulative counter that grows by `perStep[i]` at step i (the first value is 0). */
function counter(perStep: number[]): string {
  let total = 0;
  const values = ['0'];
  for (const step of perStep) values.push(String((total += step)));
  return values.join(' ');
}

/**
 * Input series under which the SLO's error ratio is `badShare(step)` at each step (for freshness: the lag is
 * above the limit at the steps where badShare is 1, else 0; fractional shares alternate within each ten steps).
 */
function sliSeries(service: LoadedService, slo: LoadedSlo, steps: number, badShare: (step: number) => number, options: { perStep?: number; timeShare?: TimeShare } = {}): Series[] {
  const perStep = options.perStep ?? 64;
  const target = { namespace: service.namespace, service: service.name };
  const shares = Array.from({ length: steps }, (_, i) => badShare(i));
  const request = { ...target, route: '/v1/slo-test', method: 'GET' };
  switch (slo.kind) {
    case 'availability':
      return [
        { series: seriesText('http_requests_total', { ...request, status_code: '200' }), values: counter(shares.map((s) => perStep * (1 - s))) },
        { series: seriesText('http_requests_total', { ...request, status_code: '503' }), values: counter(shares.map((s) => perStep * s)) },
      ];
    case 'latency': {
      const le = String(slo.thresholdMs! / 1000);
      return [
        { series: seriesText('http_request_duration_seconds_count', { ...request, status_code: '200' }), values: counter(shares.map(() => perStep)) },
        { series: seriesText('http_request_duration_seconds_bucket', { ...request, status_code: '200', le }), values: counter(shares.map((s) => perStep * (1 - s))) },
        { series: seriesText('http_request_duration_seconds_bucket', { ...request, status_code: '200', le: '+Inf' }), values: counter(shares.map(() => perStep)) },
      ];
    }
    case 'freshness': {
      // A share of time: the last k steps of every `cycle` are stale, k rounded as the scenario needs.
      const { cycle, round } = options.timeShare ?? { cycle: 10, round: 'down' };
      const stale = (i: number) => (i % cycle) >= cycle - (round === 'up' ? Math.ceil(shares[i] * cycle - 1e-9) : Math.floor(shares[i] * cycle + 1e-9));
      const lag = [...shares, shares.at(-1)!].map((_, i) => String(stale(Math.min(i, steps - 1)) ? slo.maxConsumerLag! * 2 : 0));
      return [{ series: seriesText('kafka_consumer_lag', { ...target, topic: 'slo-test', partition: '0' }), values: lag.join(' ') }];
    }
  }
}

function expectedAlert(group: RuleGroup, alert: string): { exp_labels: Labels; exp_annotations: Labels } {
  const rule = group.rules.find((r) => 'alert' in r && r.alert === alert);
  if (!rule || !('alert' in rule)) throw new Error(`rule group ${group.name} has no alert ${alert}`);
  return { exp_labels: rule.labels, exp_annotations: rule.annotations };
}

const MINUTE = 60;

const round = (x: number) => Number(x.toPrecision(4));

/** The burn a scenario achieves: `share` itself, or for freshness the whole stale steps per cycle it rounds up to. */
function achieved(slo: LoadedSlo, share: number, cycle: number): number {
  return slo.kind === 'freshness' ? Math.ceil(share * cycle - 1e-9) / cycle : share;
}

/** For freshness, the first step at or after `step` that ends a stale stretch (the short window then holds it). */
function staleStepEnd(slo: LoadedSlo, step: number, cycle: number): number {
  if (slo.kind !== 'freshness') return step;
  let s = step;
  while (s % cycle !== cycle - 1) s++;
  return s;
}

/**
 * Freshness SLIs are shares of time, so a burn is k stale steps in every `cycle`: rounded up where the
 * scenario must fire (the burn is then at least the one named; the alert is read at the end of a stale
 * step), down where it must stay silent.
 */
interface TimeShare {
  cycle: number;
  round: 'up' | 'down';
}

/** A promtool test case; `interval` (its input step) is also the evaluation interval of the file it goes in. */
export interface TestCase {
  name: string;
  interval: '1m' | '30m';
  [field: string]: unknown;
}
const duration = (seconds: number) => `${seconds}s`;

/** The promtool test cases of one SLO (see the file header). */
export function sloTestCases(service: LoadedService, slo: LoadedSlo, group: RuleGroup): TestCase[] {
  const budget = errorBudget(slo);
  const labels = sloLabels(service, slo);
  const [page, ticket] = BURN_ALERTS;
  const pageBurn = OVER_THRESHOLD * page.conditions[0].factor * budget;
  const ticketBurn = OVER_THRESHOLD * ticket.conditions[0].factor * budget;
  const firing = (alert: string) => [expectedAlert(group, alert)];
  // Freshness SLIs are shares of time: the page scenario reads the alert at the end of a stale stretch.
  const cases: TestCase[] = [];

  // Page: two clean hours, then the burn. The 5m/1h pair trips once the burning part of the last hour
  // carries 14.4 × the budget: after 60 min × 14.4 × budget / share.
  const cleanPage = 2 * 60;
  const pageShare = achieved(slo, pageBurn, 10);
  const pageDetect = (60 * page.conditions[0].factor * budget) / pageShare;
  const pageFires = staleStepEnd(slo, cleanPage + Math.ceil(pageDetect) + 10, 10);
  cases.push({
    name: `${group.name}: page at ${round(pageShare / budget)} × budget (${OVER_THRESHOLD} × 14.4 or more)`,
    interval: '1m',
    input_series: sliSeries(service, slo, pageFires + 5, (i) => (i >= cleanPage ? pageBurn : 0), { timeShare: { cycle: 10, round: 'up' } }),
    alert_rule_test: [
      { eval_time: duration((cleanPage + Math.floor(pageDetect * 0.4)) * MINUTE), alertname: PAGE_ALERT, exp_alerts: [] },
      { eval_time: duration(pageFires * MINUTE), alertname: PAGE_ALERT, exp_alerts: firing(PAGE_ALERT) },
    ],
  });
  cases.push({
    name: `${group.name}: no page at 1 × budget`,
    interval: '1m',
    input_series: sliSeries(service, slo, 2 * 60, () => budget),
    alert_rule_test: [70, 2 * 60].map((m) => ({ eval_time: duration(m * MINUTE), alertname: PAGE_ALERT, exp_alerts: [] })),
  });
  // Ticket: three clean days, then the burn (thirty-minute steps). The 2h/1d pair trips after 24 h × 3 × budget / share.
  const hour = 2; // thirty-minute steps
  const cleanTicket = 3 * 24 * hour;
  const ticketShare = achieved(slo, ticketBurn, 4);
  const ticketDetect = (24 * ticket.conditions[0].factor * budget) / ticketShare;
  const ticketFires = cleanTicket + Math.ceil((ticketDetect + 4) * hour);
  cases.push({
    name: `${group.name}: ticket at ${round(ticketShare / budget)} × budget (${OVER_THRESHOLD} × 3 or more)`,
    interval: '30m',
    input_series: sliSeries(service, slo, ticketFires + hour, (i) => (i >= cleanTicket ? ticketBurn : 0), { timeShare: { cycle: 4, round: 'up' } }),
    alert_rule_test: [
      { eval_time: duration((cleanTicket + Math.floor(ticketDetect * 0.5 * hour)) * 30 * MINUTE), alertname: TICKET_ALERT, exp_alerts: [] },
      { eval_time: duration(ticketFires * 30 * MINUTE), alertname: TICKET_ALERT, exp_alerts: firing(TICKET_ALERT) },
    ],
  });
  cases.push({
    name: `${group.name}: no ticket at ${UNDER_BUDGET_RATE} × budget`,
    interval: '30m',
    input_series: sliSeries(service, slo, 84 * hour, () => UNDER_BUDGET_RATE * budget),
    alert_rule_test: [26 * hour, 84 * hour].map((s) => ({ eval_time: duration(s * 30 * MINUTE), alertname: TICKET_ALERT, exp_alerts: [] })),
  });

  // A constant share: 1/64 of requests, or (freshness) every step stale.
  const share = slo.kind === 'freshness' ? 1 : 1 / 64;
  const at = 2 * 60;
  const sample = (record: string, value: number) => ({ expr: `${record}${selectorOf(labels)}`, eval_time: duration(at * MINUTE), exp_samples: [{ labels: seriesText(record, { ...labels }), value }] });
  cases.push({
    name: `${group.name}: recording rules at an error ratio of ${share}`,
    interval: '1m',
    input_series: sliSeries(service, slo, at + 5, () => share),
    promql_expr_test: [
      ...sloWindows(slo).map((w) => sample(errorRatioRecord(w), share)),
      sample('slo:objective:ratio', objectiveRatio(slo)),
      sample('slo:error_budget:ratio', budget),
      sample('slo:current_burn_rate:ratio', share / budget),
      sample('slo:period_burn_rate:ratio', share / budget),
      sample('slo:period_error_budget_remaining:ratio', 1 - share / budget),
    ],
  });
  cases.push({
    name: `${group.name}: zero traffic records no ratio and raises nothing`,
    interval: '1m',
    input_series: sliSeries(service, slo, 2 * 60, () => 0, { perStep: 0 }).map((s) => (slo.kind === 'freshness' ? { ...s, values: '_x120' } : s)),
    promql_expr_test: sloWindows(slo).map((w) => ({ expr: `${errorRatioRecord(w)}${selectorOf(labels)}`, eval_time: duration(2 * 60 * MINUTE), exp_samples: [] })),
    alert_rule_test: [PAGE_ALERT, TICKET_ALERT].map((alertname) => ({ eval_time: duration(2 * 60 * MINUTE), alertname, exp_alerts: [] })),
  });
  return cases;
}

function selectorOf(labels: Labels | SloLabels): string {
  return `{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',')}}`;
}

/** The PrometheusRule objects of one rendered environment folder's SLO component. */
export async function renderedSloGroups(env: string, model: LoadedModel): Promise<Map<string, RuleGroup>> {
  const groups = new Map<string, RuleGroup>();
  for (const service of model.services.filter((s) => s.slos.length > 0)) {
    const file = join(REPO, renderedPath(env, `platform/${SLO_RULES_COMPONENT}/${model.platform.monitoring.namespace}/prometheusrule-slo-${service.name}.yaml`));
    const object = parse(await readFile(file, 'utf8')) as { spec: { groups: RuleGroup[] } };
    for (const group of object.spec.groups) groups.set(group.name, group);
  }
  return groups;
}

export interface SloUnitSuite {
  /** The alerts the suite tests (for the catalog's coverage test). */
  alertnames: string[];
  /** One test file per SLO, with its rule file beside it. */
  files: string[];
  /** Test cases in all files. */
  cases: number;
  /** Runs `promtool test rules` on every file; `ok` is false when any case fails, `output` says which. */
  run(): Promise<{ ok: boolean; output: string }>;
  /** Deletes the temp dir. */
  cleanup(): Promise<void>;
}

/** Test files (with their rule file) that passed in this process, by content. */
const passed = new Set<string>();

async function contentKey(testFile: string): Promise<string> {
  const rules = testFile.replace(/\.(1m|30m)\.test\.yaml$/, '.rules.yaml');
  const text = (await readFile(testFile, 'utf8')).replace(rules, 'RULES') + (await readFile(rules, 'utf8'));
  return createHash('sha256').update(text).digest('hex');
}

export async function sloUnitTests(env: string): Promise<SloUnitSuite> {
  const model = loadModel(env);
  const groups = await renderedSloGroups(env, model);
  const dir = await mkdtemp(join(tmpdir(), `gm-slo-units-${env}-`));
  const files: string[] = [];
  let cases = 0;
  for (const service of model.services)
    for (const slo of service.slos) {
      const name = sloGroupName(service, slo);
      const group = groups.get(name);
      if (!group) throw new Error(`rendered/${env} has no rule group ${name}: run npm run render`);
      const rules = join(dir, `${name}.rules.yaml`);
      await writeFile(rules, stringify({ groups: [group] }, { lineWidth: 0 }));
      const testCases = sloTestCases(service, slo, group);
      cases += testCases.length;
      // promtool evaluates every step of a file's tests at its evaluation interval: days-long cases step by 30m.
      for (const interval of ['1m', '30m'] as const) {
        const tests = join(dir, `${name}.${interval}.test.yaml`);
        await writeFile(tests, stringify({ rule_files: [rules], evaluation_interval: interval, tests: testCases.filter((c) => c.interval === interval) }, { lineWidth: 0 }));
        files.push(tests);
      }
    }
  return {
    alertnames: [PAGE_ALERT, TICKET_ALERT],
    files,
    cases,
    async run() {
      const pending: string[] = [];
      for (const file of files) if (!passed.has(await contentKey(file))) pending.push(file);
      if (pending.length === 0) return { ok: true, output: `all ${files.length} files passed already (identical rules and tests)` };
      const result = await execa('promtool', ['test', 'rules', ...pending], { reject: false, all: true });
      if (result.exitCode === 0) for (const file of pending) passed.add(await contentKey(file));
      return { ok: result.exitCode === 0, output: result.all ?? '' };
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
