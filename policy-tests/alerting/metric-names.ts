// Which metric names a PromQL expression reads, and whether each is known: exported by the services
// (service-kit's registry, apps/lib/metrics.ts, read by asking a real registry for its series), recorded by a
// rendered rule, or provided by an exporter named in the model (model/observability.ts). Rules, dashboards and
// analysis templates all go through metricNameProblems.
import { createMetrics } from '../../apps/lib/metrics.ts';
import { businessMetrics } from '../../apps/event-ingestion/src/business-metrics.ts';
import { createPredictionMetrics } from '../../apps/prediction-api/src/metrics.ts';
import type { LoadedExporter, LoadedModel } from '../../model/loaded.ts';

/** Words of PromQL that are not metric names when they stand alone (operators, modifiers, literals). */
const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'and', 'or', 'unless', 'inf', 'nan', 'start', 'end']);

/**
 * The metric names an expression selects, in order of appearance, each once. A tokenizer, not a parser: it
 * drops strings, label matchers, ranges and grouping clauses, then keeps every identifier that is not a
 * function call, a keyword or part of a number or duration. `{__name__="x"}` selectors count as `x`.
 * Grafana variables (`$x`, `${x}`) are dropped with the clauses they stand in.
 */
export function metricNames(expr: string): string[] {
  const names: string[] = [];
  for (const m of expr.matchAll(/\{[^}]*__name__\s*=\s*"([^"]+)"[^}]*\}/g)) names.push(m[1]);
  const text = expr
    .replace(/#[^\n]*/g, ' ')
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/gi, ' ')
    .replace(/\$\{[^}]*\}|\$\w+/g, ' ');
  for (const m of text.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const word = m[0];
    const before = m.index > 0 ? text[m.index - 1] : ' ';
    if (/[0-9.]/.test(before)) continue;
    if (/^\s*\(/.test(text.slice(m.index + word.length))) continue;
    if (KEYWORDS.has(word.toLowerCase())) continue;
    names.push(word);
  }
  return [...new Set(names)];
}

let serviceNames: Set<string> | undefined;

/**
 * Every series name the services expose (histograms with _bucket, _sum and _count): service-kit's registry,
 * default process metrics included, with the services' own metrics registered on it (event-ingestion's
 * business metrics, prediction-api's predictions and rate limits).
 */
export async function serviceMetricNames(): Promise<Set<string>> {
  if (serviceNames) return serviceNames;
  const { registry } = createMetrics('metric-names');
  businessMetrics(registry);
  createPredictionMetrics(registry);
  const names = new Set<string>();
  for (const metric of await registry.getMetricsAsJSON()) {
    const type = String(metric.type);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${metric.name}${suffix}`);
    else if (type === 'summary') for (const suffix of ['', '_sum', '_count']) names.add(`${metric.name}${suffix}`);
    else names.add(metric.name);
  }
  registry.clear();
  serviceNames = names;
  return names;
}

export interface MetricSources {
  /** Names the services export. */
  services: ReadonlySet<string>;
  /** The model's exporters (LoadedModel.observability.exporters). */
  exporters: readonly LoadedExporter[];
  /** Names recorded by rendered recording rules. */
  recorded: ReadonlySet<string>;
}

/**
 * The sources for one environment: the services' names, the model's exporters, and the series recorded by the
 * given rule groups (pass every rendered PrometheusRule's groups, so SLO recording rules count).
 */
export async function metricSourcesFor(model: LoadedModel, groups: ReadonlyArray<{ rules: ReadonlyArray<{ record?: string }> }>): Promise<MetricSources> {
  return {
    services: await serviceMetricNames(),
    exporters: model.observability.exporters,
    recorded: new Set(groups.flatMap((g) => g.rules.flatMap((r) => (r.record ? [r.record] : [])))),
  };
}

/** Where a name comes from (`service`, `recorded`, or the exporter's name), or null when nothing provides it. */
export function metricSource(name: string, sources: MetricSources): string | null {
  if (sources.services.has(name)) return 'service';
  if (sources.recorded.has(name)) return 'recorded';
  const exporter = sources.exporters.find((e) => e.metrics.includes(name) || e.prefixes.some((p) => name.startsWith(p)));
  return exporter?.name ?? null;
}

export interface MetricNameProblem {
  /** Where the expression is (file and rule, dashboard panel, analysis metric). */
  where: string;
  name: string;
  message: string;
}

/** One problem per unknown metric name of each expression. */
export function metricNameProblems(expressions: ReadonlyArray<{ where: string; expr: string }>, sources: MetricSources): MetricNameProblem[] {
  return expressions.flatMap(({ where, expr }) => metricNames(expr).filter((name) => metricSource(name, sources) === null).map((name) => ({
    where,
    name,
    message: `${where}: metric "${name}" is exported by no service (apps/lib/metrics.ts), recorded by no rule, and belongs to no exporter in model/observability.ts; fix the name, or declare the exporter that provides it`,
  })));
}
