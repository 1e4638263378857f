// The Grafana dashboards, built with @grafana/grafana-foundation-sdk from the model: platform overview, Kafka
// health, one SLI and error-budget dashboard per service with SLOs (contract 1's series), database performance,
// business metrics and cost per tenant. The SDK takes about half a second to load, more than a whole render,
// so this runs as its own step (`npm run dashboards` writes dashboards.json) and the render only wraps that
// file in ConfigMaps (config-maps.ts); dashboards.test.ts fails when the file is stale.
import { DashboardBuilder, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import type { LoadedModel, LoadedService } from '../../../model/loaded.ts';
import { LABEL_COST_CENTRE } from '../../core/labels.ts';
export { dashboardInputs, dashboardsKey } from './inputs.ts';

/** Grafana's Prometheus data source, provisioned by kube-prometheus-stack's sidecar with this uid. */
const PROMETHEUS = { type: 'prometheus', uid: 'prometheus' };
/** kube-state-metrics exposes allow-listed pod labels as `label_<name with _>` on kube_pod_labels. */
export const COST_CENTRE_METRIC_LABEL = `label_${LABEL_COST_CENTRE.replace(/[^a-zA-Z0-9]/g, '_')}`;

export interface Query {
  expr: string;
  legend: string;
}
interface PanelSpec {
  title: string;
  unit: string;
  queries: Query[];
  kind?: 'stat' | 'timeseries';
}

function target(q: Query, i: number) {
  return new DataqueryBuilder().expr(q.expr).legendFormat(q.legend).refId(String.fromCharCode(65 + i));
}

function panel(p: PanelSpec, x: number, y: number) {
  const grid = { x, y, w: 12, h: 8 };
  if (p.kind === 'stat') {
    const b = new StatPanel().title(p.title).unit(p.unit).datasource(PROMETHEUS).gridPos(grid);
    p.queries.forEach((q, i) => b.withTarget(target(q, i)));
    return b;
  }
  const b = new TimeseriesPanel().title(p.title).unit(p.unit).datasource(PROMETHEUS).gridPos(grid);
  p.queries.forEach((q, i) => b.withTarget(target(q, i)));
  return b;
}

function dashboard(uid: string, title: string, tags: string[], rows: Array<{ title: string; panels: PanelSpec[] }>): unknown {
  const b = new DashboardBuilder(title).uid(uid).tags(['gamemetrics', ...tags]).refresh('30s').time({ from: 'now-6h', to: 'now' }).timezone('utc').readonly();
  let y = 0;
  for (const row of rows) {
    b.withRow(new RowBuilder(row.title).gridPos({ x: 0, y, w: 24, h: 1 }));
    y += 1;
    row.panels.forEach((p, i) => b.withPanel(panel(p, (i % 2) * 12, y + Math.floor(i / 2) * 8)));
    y += Math.ceil(row.panels.length / 2) * 8;
  }
  return b.build();
}

const q = (expr: string, legend: string): Query => ({ expr, legend });

function platformOverview(): unknown {
  return dashboard('platform-overview', 'Platform overview', ['overview'], [
    { title: 'Services', panels: [
      { title: 'Requests per second by service', unit: 'reqps', queries: [q('sum by (service) (rate(http_requests_total[5m]))', '{{service}}')] },
      { title: '5xx share by service', unit: 'percentunit', queries: [q('sum by (service) (rate(http_requests_total{status_code=~"5.."}[5m])) / clamp_min(sum by (service) (rate(http_requests_total[5m])), 1e-9)', '{{service}}')] },
      { title: 'p99 latency by service', unit: 's', queries: [q('histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket[5m])))', '{{service}}')] },
      { title: 'Consumer lag by service', unit: 'short', queries: [q('sum by (service) (kafka_consumer_lag)', '{{service}}')] },
    ] },
    { title: 'Cluster', panels: [
      { title: 'Firing alerts by severity', unit: 'short', kind: 'stat', queries: [q('count by (severity) (ALERTS{alertstate="firing"})', '{{severity}}')] },
      { title: 'Pods not ready by namespace', unit: 'short', queries: [q('sum by (namespace) (kube_pod_status_ready{condition="false"})', '{{namespace}}')] },
      { title: 'Node CPU busy', unit: 'percentunit', queries: [q('1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m]))', '{{instance}}')] },
      { title: 'Node memory used', unit: 'percentunit', queries: [q('1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes', '{{instance}}')] },
    ] },
  ]);
}

function kafkaHealth(model: LoadedModel): unknown {
  const ns = model.environment.kafka.namespace;
  return dashboard('kafka-health', 'Kafka health', ['kafka'], [
    { title: 'Brokers', panels: [
      { title: 'Broker targets up', unit: 'short', kind: 'stat', queries: [q(`sum(up{namespace="${ns}", strimzi_io_name=~".+-kafka|.+-broker|.+-controller"})`, 'up')] },
      { title: 'Active controllers', unit: 'short', kind: 'stat', queries: [q('sum(kafka_controller_kafkacontroller_activecontrollercount)', 'active')] },
      { title: 'Under-replicated partitions', unit: 'short', queries: [q('sum by (pod) (kafka_server_replicamanager_underreplicatedpartitions)', '{{pod}}')] },
      { title: 'Offline partitions', unit: 'short', queries: [q('sum(kafka_controller_kafkacontroller_offlinepartitionscount)', 'offline')] },
    ] },
    { title: 'Topics and consumers', panels: [
      { title: 'Messages in per second by topic', unit: 'short', queries: [q('sum by (topic) (rate(kafka_server_brokertopicmetrics_messagesin_total{topic!=""}[5m]))', '{{topic}}')] },
      { title: 'Bytes in per second', unit: 'Bps', queries: [q('sum(rate(kafka_server_brokertopicmetrics_bytesin_total[5m]))', 'bytes in')] },
      { title: 'Consumer group lag (Kafka Exporter)', unit: 'short', queries: [q('sum by (consumergroup, topic) (kafka_consumergroup_lag)', '{{consumergroup}} {{topic}}')] },
      { title: 'Dead-letter messages per second', unit: 'short', queries: [q(`sum by (topic) (rate(kafka_server_brokertopicmetrics_messagesin_total{topic=~".*\\\\.dlq"}[5m]))`, '{{topic}}')] },
    ] },
  ]);
}

/** One dashboard per service with SLOs: the SLI, burn rate and remaining budget of each (contract 1's series). */
function serviceSlis(service: LoadedService): unknown {
  const sel = (slo: string) => `service="${service.name}", slo="${slo}"`;
  const rows = service.slos.map((slo) => ({
    title: `${slo.name}: ${slo.objective}% over ${slo.window}`,
    panels: [
      { title: 'Error ratio (5m, 1h, 6h) against the budget', unit: 'percentunit', queries: [
        q(`slo:sli_error:ratio_rate5m{${sel(slo.name)}}`, '5m'),
        q(`slo:sli_error:ratio_rate1h{${sel(slo.name)}}`, '1h'),
        q(`slo:sli_error:ratio_rate6h{${sel(slo.name)}}`, '6h'),
        q(`slo:error_budget:ratio{${sel(slo.name)}}`, 'budget'),
      ] },
      { title: 'Burn rate', unit: 'short', queries: [q(`slo:current_burn_rate:ratio{${sel(slo.name)}}`, 'current'), q(`slo:period_burn_rate:ratio{${sel(slo.name)}}`, 'period')] },
      { title: 'Error budget remaining', unit: 'percentunit', kind: 'stat' as const, queries: [q(`slo:period_error_budget_remaining:ratio{${sel(slo.name)}}`, 'remaining')] },
      { title: 'Objective', unit: 'percentunit', kind: 'stat' as const, queries: [q(`slo:objective:ratio{${sel(slo.name)}}`, 'objective')] },
    ],
  }));
  rows.push({ title: 'Traffic', panels: [
    { title: 'Requests per second by status', unit: 'reqps', queries: [q(`sum by (status_code) (rate(http_requests_total{service="${service.name}"}[5m]))`, '{{status_code}}')] },
    { title: 'Latency p50, p95, p99', unit: 's', queries: [0.5, 0.95, 0.99].map((p) => q(`histogram_quantile(${p}, sum by (le) (rate(http_request_duration_seconds_bucket{service="${service.name}"}[5m])))`, `p${p * 100}`)) },
    // Saturation: empty for a service without a database pool.
    { title: 'Database pool clients (total, idle, waiting)', unit: 'short', queries: [q(`sum by (state) (db_pool_clients{service="${service.name}"})`, '{{state}}')] },
  ] });
  return dashboard(`slo-${service.name}`, `SLIs and error budget: ${service.name}`, ['slo', service.tenant], rows);
}

function databasePerformance(): unknown {
  return dashboard('database-performance', 'Database performance', ['databases'], [
    { title: 'PostgreSQL (CloudNativePG)', panels: [
      { title: 'Instances up', unit: 'short', kind: 'stat', queries: [q('sum by (cluster) (cnpg_collector_up)', '{{cluster}}')] },
      { title: 'Backends by database', unit: 'short', queries: [q('sum by (datname) (cnpg_backends_total)', '{{datname}}')] },
      { title: 'Transactions per second', unit: 'short', queries: [q('sum by (datname) (rate(cnpg_pg_stat_database_xact_commit[5m]) + rate(cnpg_pg_stat_database_xact_rollback[5m]))', '{{datname}}')] },
      { title: 'Cache hit ratio', unit: 'percentunit', queries: [q('sum by (datname) (rate(cnpg_pg_stat_database_blks_hit[5m])) / clamp_min(sum by (datname) (rate(cnpg_pg_stat_database_blks_hit[5m]) + rate(cnpg_pg_stat_database_blks_read[5m])), 1e-9)', '{{datname}}')] },
      { title: 'Replication lag', unit: 's', queries: [q('max by (pod) (cnpg_pg_replication_lag)', '{{pod}}')] },
      { title: 'Seconds since last archived WAL', unit: 's', queries: [q('max by (pod) (cnpg_pg_stat_archiver_seconds_since_last_archival)', '{{pod}}')] },
    ] },
    { title: 'Redis', panels: [
      { title: 'Redis up', unit: 'short', kind: 'stat', queries: [q('sum(redis_up)', 'up')] },
      { title: 'Memory used', unit: 'bytes', queries: [q('max by (pod) (redis_memory_used_bytes)', '{{pod}}')] },
      { title: 'Commands per second', unit: 'short', queries: [q('sum by (pod) (rate(redis_commands_processed_total[5m]))', '{{pod}}')] },
      { title: 'Connected clients', unit: 'short', queries: [q('sum by (pod) (redis_connected_clients)', '{{pod}}')] },
    ] },
  ]);
}

function businessMetrics(): unknown {
  return dashboard('business-metrics', 'Business metrics', ['business'], [
    { title: 'Players and events', panels: [
      { title: 'Events accepted per second by game', unit: 'short', queries: [q('sum by (game_id) (rate(player_events_accepted_total[5m]))', '{{game_id}}')] },
      { title: 'Active players by game (last 5 minutes, summed over replicas)', unit: 'short', queries: [q('sum by (game_id) (active_players)', '{{game_id}}')] },
      { title: 'Events processed per second', unit: 'short', queries: [q('sum by (result) (rate(kafka_messages_consumed_total{service="event-processor"}[5m]))', '{{result}}')] },
      { title: 'Recommendations produced per second', unit: 'short', queries: [q('sum(rate(kafka_messages_produced_total{service="recommendation-engine", result="ok"}[5m]))', 'produced')] },
    ] },
    // prediction-api's own series (apps/prediction-api/src/metrics.ts).
    { title: 'Predictions: the model', panels: [
      { title: 'Predictions per second by model version', unit: 'short', queries: [q('sum by (model_version) (rate(predictions_total[5m]))', '{{model_version}}')] },
      { title: 'Time in the model, p95 by endpoint', unit: 's', queries: [q('histogram_quantile(0.95, sum by (endpoint, le) (rate(prediction_model_duration_seconds_bucket[5m])))', '{{endpoint}}')] },
      { title: 'Replicas serving each model version', unit: 'short', kind: 'stat', queries: [q('sum by (version) (prediction_model_version_info)', '{{version}}')] },
      { title: 'Model versions refused per hour', unit: 'short', queries: [q('sum by (version) (increase(prediction_model_load_failures_total[1h]))', '{{version}}')] },
    ] },
    { title: 'Predictions: API usage', panels: [
      { title: 'Active accounts today (UTC day, all replicas)', unit: 'short', kind: 'stat', queries: [q('max(prediction_active_users{window="day"})', 'accounts')] },
      { title: 'Rate-limit decisions per second by tier and verdict', unit: 'short', queries: [q('sum by (tier, verdict) (rate(rate_limit_decisions_total[5m]))', '{{tier}} {{verdict}}')] },
      { title: 'Requests refused for quota or rate, share by tier', unit: 'percentunit', queries: [q('sum by (tier) (rate(rate_limit_decisions_total{verdict=~"rate|daily|endpoint"}[5m])) / clamp_min(sum by (tier) (rate(rate_limit_decisions_total[5m])), 1e-9)', '{{tier}}')] },
      { title: 'Refused authentications per second by code', unit: 'short', queries: [q('sum by (code) (rate(auth_failures_total[5m]))', '{{code}}')] },
      { title: 'Circuit breakers open (2), half-open (1)', unit: 'short', queries: [q('max by (dependency) (circuit_breaker_state)', '{{dependency}}')] },
    ] },
  ]);
}

function costPerTenant(): unknown {
  const cc = COST_CENTRE_METRIC_LABEL;
  const byCostCentre = (metric: string) => `sum by (${cc}) (${metric} * on (namespace, pod) group_left (${cc}) max by (namespace, pod, ${cc}) (kube_pod_labels{${cc}!=""}))`;
  return dashboard('cost-per-tenant', 'Cost per tenant', ['cost'], [
    { title: 'Requested', panels: [
      { title: 'CPU requested by cost centre', unit: 'short', queries: [q(byCostCentre('sum by (namespace, pod) (kube_pod_container_resource_requests{resource="cpu"})'), `{{${cc}}}`)] },
      { title: 'Memory requested by cost centre', unit: 'bytes', queries: [q(byCostCentre('sum by (namespace, pod) (kube_pod_container_resource_requests{resource="memory"})'), `{{${cc}}}`)] },
    ] },
    { title: 'Used', panels: [
      { title: 'CPU used by cost centre', unit: 'short', queries: [q(byCostCentre('sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{container!=""}[5m]))'), `{{${cc}}}`)] },
      { title: 'Memory used by cost centre', unit: 'bytes', queries: [q(byCostCentre('sum by (namespace, pod) (container_memory_working_set_bytes{container!=""})'), `{{${cc}}}`)] },
    ] },
  ]);
}

/** Every dashboard, by uid, in a stable order (built for the model's dashboardInputs()). */
export function buildDashboards(model: LoadedModel): Record<string, unknown> {
  const out: Record<string, unknown> = {
    'platform-overview': platformOverview(),
    'kafka-health': kafkaHealth(model),
    'database-performance': databasePerformance(),
    'business-metrics': businessMetrics(),
    'cost-per-tenant': costPerTenant(),
  };
  for (const s of model.services.filter((s) => s.slos.length > 0)) out[`slo-${s.name}`] = serviceSlis(s);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Every PromQL expression of built dashboards (for the parser test). */
export function dashboardExpressions(dashboards: Record<string, unknown>): Array<{ dashboard: string; panel: string; expr: string }> {
  const out: Array<{ dashboard: string; panel: string; expr: string }> = [];
  for (const [uid, d] of Object.entries(dashboards)) {
    for (const p of (d as { panels?: Array<{ title?: string; targets?: Array<{ expr?: string }> }> }).panels ?? []) {
      for (const t of p.targets ?? []) if (t.expr) out.push({ dashboard: uid, panel: p.title ?? '', expr: t.expr });
    }
  }
  return out;
}
