// Each service, from its own /metrics (service-kit, apps/lib/metrics.ts): error rate and p95 latency of the
// services that answer requests, scrape target down for every long-running one, Kafka produce errors of producers.
import type { LoadedModel, LoadedService } from '../../../model/loaded.ts';
import { type AlertingRule, type RuleGroup, alertingRule } from './rules.ts';

const answersRequests = (s: LoadedService) => s.kind === 'http-api' || s.kind === 'web-frontend';

export function serviceAlerts(model: LoadedModel): RuleGroup {
  const a = model.observability.alerts;
  const sel = (s: LoadedService) => `namespace="${s.namespace}", service="${s.name}"`;
  const common = (s: LoadedService) => ({ tenant: s.tenant, labels: { service: s.name } });
  return {
    name: 'services',
    rules: model.services.flatMap((s): AlertingRule[] => [
      ...(answersRequests(s) ? [
        alertingRule(model, {
          alert: 'ServiceHighErrorRate', ...common(s), severity: 'warning', for: '5m',
          expr: `100 * sum(rate(http_requests_total{${sel(s)}, status_code=~"5.."}[5m])) / sum(rate(http_requests_total{${sel(s)}}[5m])) > ${a.serviceErrorPercent}`,
          summary: `${s.name} answers more than ${a.serviceErrorPercent} % of requests with errors.`,
          description: `{{ $value | printf "%.1f" }} % of ${s.name}'s requests failed with 5xx over the last 5 minutes (limit ${a.serviceErrorPercent} %).`,
        }),
        alertingRule(model, {
          alert: 'ServiceHighLatency', ...common(s), severity: 'warning', for: '10m',
          expr: `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{${sel(s)}}[5m]))) > ${a.serviceLatencyP95Ms / 1000}`,
          summary: `${s.name}'s 95th-percentile latency is above ${a.serviceLatencyP95Ms} ms.`,
          description: `95 % of ${s.name}'s requests took up to {{ $value | humanizeDuration }} over the last 10 minutes (limit ${a.serviceLatencyP95Ms} ms).`,
        }),
      ] : []),
      ...(s.kind !== 'cron-job' ? [alertingRule(model, {
        alert: 'ServiceTargetDown', ...common(s), severity: 'critical', for: '5m',
        expr: `max(up{namespace="${s.namespace}", job="${s.name}"}) == 0`,
        summary: `Prometheus cannot scrape any pod of ${s.name}.`,
        description: `No pod of ${s.name} in ${s.namespace} has answered a scrape for 5 minutes: the service is down or unreachable.`,
      })] : []),
      ...(s.produces.length > 0 ? [alertingRule(model, {
        alert: 'ServiceKafkaProduceErrors', ...common(s), severity: 'warning', for: '10m',
        expr: `sum by (topic) (rate(kafka_messages_produced_total{${sel(s)}, result="error"}[5m])) > 0`,
        summary: `${s.name} fails to produce to Kafka.`,
        description: `${s.name} has failed to write to {{ $labels.topic }} for 10 minutes ({{ $value | printf "%.2f" }}/s).`,
      })] : []),
    ]),
  };
}
