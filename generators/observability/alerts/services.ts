// Each service, from its own /metrics (service-kit, apps/lib/metrics.ts): error rate and p95 latency of the
// services that answer requests (at the service's own thresholds), scrape target down for every long-running one,
// Kafka produce errors of producers, a saturated database pool for PostgreSQL users, a rate limiter without
// its Redis for services that declare rateLimits, and refused or skewed model versions for those that serve a model.
import type { LoadedModel, LoadedService } from '../../../model/loaded.ts';
import { type AlertingRule, type RuleGroup, alertingRule } from './rules.ts';

const answersRequests = (s: LoadedService) => s.kind === 'http-api' || s.kind === 'web-frontend';

export function serviceAlerts(model: LoadedModel): RuleGroup {
  const sel = (s: LoadedService) => `namespace="${s.namespace}", service="${s.name}"`;
  const common = (s: LoadedService) => ({ tenant: s.tenant, labels: { service: s.name } });
  const postgres = new Set(model.datastores.filter((d) => d.engine === 'postgresql').map((d) => d.name));
  const usesPostgres = (s: LoadedService) => s.kind !== 'cron-job' && s.datastores.some((d) => postgres.has(d.name));
  return {
    name: 'services',
    rules: model.services.flatMap((s): AlertingRule[] => [
      ...(answersRequests(s) ? [
        alertingRule(model, {
          alert: 'ServiceHighErrorRate', ...common(s), severity: 'warning', for: '5m',
          expr: `100 * sum(rate(http_requests_total{${sel(s)}, status_code=~"5.."}[5m])) / sum(rate(http_requests_total{${sel(s)}}[5m])) > ${s.alerts.errorPercent}`,
          summary: `${s.name} answers more than ${s.alerts.errorPercent} % of requests with errors.`,
          description: `{{ $value | printf "%.1f" }} % of ${s.name}'s requests failed with 5xx over the last 5 minutes (limit ${s.alerts.errorPercent} %).`,
        }),
        alertingRule(model, {
          alert: 'ServiceHighLatency', ...common(s), severity: 'warning', for: '10m',
          expr: `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{${sel(s)}}[5m]))) > ${s.alerts.latencyP95Ms / 1000}`,
          summary: `${s.name}'s 95th-percentile latency is above ${s.alerts.latencyP95Ms} ms.`,
          description: `95 % of ${s.name}'s requests took up to {{ $value | humanizeDuration }} over the last 10 minutes (limit ${s.alerts.latencyP95Ms} ms).`,
        }),
      ] : []),
      ...(s.kind !== 'cron-job' ? [alertingRule(model, {
        alert: 'ServiceTargetDown', ...common(s), severity: 'critical', for: '5m',
        expr: `max(up{namespace="${s.namespace}", job="${s.name}"}) == 0`,
        summary: `Prometheus cannot scrape any pod of ${s.name}.`,
        description: `No pod of ${s.name} in ${s.namespace} has answered a scrape for 5 minutes: the service is down or unreachable.`,
      }),
      // An expected target Prometheus does not know at all (no `up` series): ServiceTargetDown cannot see that.
      alertingRule(model, {
        alert: 'ServiceTargetMissing', ...common(s), severity: 'critical', for: '15m',
        expr: `absent(up{namespace="${s.namespace}", job="${s.name}"})`,
        summary: `Prometheus has no scrape target for ${s.name}.`,
        description: `Prometheus has discovered no pod of ${s.name} in ${s.namespace} for 15 minutes: its ServiceMonitor selects nothing, the monitoring NetworkPolicy or the release label is wrong, or the service has no pods.`,
      })] : []),
      // service-kit's db_pool_clients: queries queued for a pool client, continuously, mean the pool is too small or the database slow.
      ...(usesPostgres(s) ? [alertingRule(model, {
        alert: 'ServiceDatabasePoolSaturated', ...common(s), severity: 'warning', for: '5m',
        expr: `max(db_pool_clients{${sel(s)}, state="waiting"}) > 0`,
        summary: `${s.name}'s database queries wait for a pool connection.`,
        description: `{{ $value }} of ${s.name}'s queries have been queued for a database connection for 5 minutes: every pooled connection is busy.`,
      })] : []),
      // Fail open serves without limits (warning); fail closed refuses every request (critical).
      ...(s.rateLimits ? [alertingRule(model, {
        alert: 'RateLimiterBackendDown', ...common(s), severity: s.rateLimits.whenRedisDown === 'closed' ? 'critical' : 'warning', for: '5m',
        expr: `sum(rate(rate_limit_backend_failures_total{${sel(s)}}[5m])) > 0`,
        summary: `${s.name} decides rate limits without Redis.`,
        description: s.rateLimits.whenRedisDown === 'closed'
          ? `${s.name} cannot reach Redis for its rate limits and refuses requests (fails closed): {{ $value | printf "%.2f" }}/s for 5 minutes.`
          : `${s.name} cannot reach Redis for its rate limits and serves requests without limits or quotas (fails open): {{ $value | printf "%.2f" }}/s for 5 minutes.`,
      })] : []),
      // apps/prediction-api's model series: a refused version keeps the previous one serving (warning); replicas on
      // different versions answer the same request differently.
      ...(s.servesModel ? [
        alertingRule(model, {
          alert: 'PredictionModelLoadFailed', ...common(s), severity: 'warning',
          expr: `sum by (version) (increase(prediction_model_load_failures_total{${sel(s)}}[15m])) > 0`,
          summary: `${s.name} refused model version {{ $labels.version }}.`,
          description: `${s.name} could not load model version {{ $labels.version }} (corrupt, unreadable or failing its checks) in the last 15 minutes and keeps serving the version before it.`,
        }),
        alertingRule(model, {
          alert: 'PredictionModelVersionSkew', ...common(s), severity: 'warning', for: '30m',
          expr: `count(count by (version) (prediction_model_version_info{${sel(s)}} == 1)) > 1`,
          summary: `${s.name}'s replicas serve different model versions.`,
          description: `{{ $value }} model versions have been served side by side by ${s.name}'s replicas for 30 minutes: some replicas did not load the promoted version.`,
        }),
      ] : []),
      ...(s.produces.length > 0 ? [alertingRule(model, {
        alert: 'ServiceKafkaProduceErrors', ...common(s), severity: 'warning', for: '10m',
        expr: `sum by (topic) (rate(kafka_messages_produced_total{${sel(s)}, result="error"}[5m])) > 0`,
        summary: `${s.name} fails to produce to Kafka.`,
        description: `${s.name} has failed to write to {{ $labels.topic }} for 10 minutes ({{ $value | printf "%.2f" }}/s).`,
      })] : []),
    ]),
  };
}
