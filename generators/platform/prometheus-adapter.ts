// The Prometheus Adapter's values from the model: where Prometheus answers, and one custom-metrics rule for the
// services that autoscale on requests per second (`autoscale.requestsPerSecond`). The rule turns service-kit's
// `http_requests_total` counter into `http_requests_per_second` per pod (user traffic only: the probe and
// /metrics routes are left out, as the SLIs leave them out); the HPAs (generators/workloads/autoscalers.ts) name
// that metric. No such service: no rule, and the adapter serves an empty API.
import type { LoadedModel, LoadedService } from '../../model/loaded.ts';
import { notUserTraffic } from '../observability/slo/sli.ts';
import { stackEndpoints } from '../observability/stack/names.ts';

/** The custom metric the HPAs read, and the counter it is derived from (apps/lib/metrics.ts). */
export const REQUESTS_PER_SECOND_METRIC = 'http_requests_per_second';
export const REQUESTS_COUNTER = 'http_requests_total';
/** The rate window: four scrapes at the ServiceMonitors' 30 s interval. */
export const ADAPTER_RATE_WINDOW = '2m';

/** The services whose HPA reads requests per second. */
export function requestsPerSecondServices(model: LoadedModel): LoadedService[] {
  return model.services.filter((s) => s.scaling.mode === 'autoscale' && s.scaling.requestsPerSecond !== null);
}

const alternatives = (values: string[]) => [...new Set(values)].sort().join('|');

/** The adapter's rule (its config.md format); `<<.Series>>`, `<<.LabelMatchers>>` and `<<.GroupBy>>` are its templates. */
export function adapterRules(model: LoadedModel) {
  const services = requestsPerSecondServices(model);
  if (services.length === 0) return [];
  const scope = `namespace=~"${alternatives(services.map((s) => s.namespace))}",service=~"${alternatives(services.map((s) => s.name))}"`;
  const skipped = alternatives(services.flatMap(notUserTraffic));
  return [{
    seriesQuery: `${REQUESTS_COUNTER}{${scope},pod!=""}`,
    resources: { overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } },
    name: { matches: `^${REQUESTS_COUNTER}$`, as: REQUESTS_PER_SECOND_METRIC },
    metricsQuery: `sum by (<<.GroupBy>>) (rate(<<.Series>>{<<.LabelMatchers>>,${scope},route!~"${skipped}"}[${ADAPTER_RATE_WINDOW}]))`,
  }];
}

/** The chart's values derived from the model: Prometheus' address (scheme and host, then port) and the rules. */
export function adapterValues(model: LoadedModel): Record<string, unknown> {
  const prometheus = new URL(stackEndpoints(model).prometheus);
  return {
    prometheus: { url: `${prometheus.protocol}//${prometheus.hostname}`, port: Number(prometheus.port) },
    rules: { custom: adapterRules(model) },
  };
}
