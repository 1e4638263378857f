// The platform's datastores, per declared datastore: PostgreSQL (CloudNativePG's metrics) up, replication,
// WAL archiving, base backups and connections; Redis (redis_exporter) up, memory and replication.
// Replication alerts exist only where the environment runs more than one instance.
import type { LoadedDatastore, LoadedModel } from '../../../model/loaded.ts';
import { parseDuration } from '../../../model/quantities.ts';
import { type AlertingRule, PLATFORM_TENANT, type RuleGroup, alertingRule, promDuration } from './rules.ts';

const tenant = PLATFORM_TENANT;
/** The datastore's pods: CloudNativePG names instances `<cluster>-<n>`, the Redis chart `<release>-<role>-<n>`. */
const pods = (store: LoadedDatastore) => `namespace="${store.namespace}", pod=~"${store.name}-.+"`;

export function postgresAlerts(model: LoadedModel): RuleGroup {
  const a = model.observability.alerts;
  const backupMaxAge = (parseDuration(a.postgresBackupMaxAge) ?? 0) / 1000;
  return {
    name: 'postgresql',
    rules: model.datastores.filter((s) => s.engine === 'postgresql').flatMap((store): AlertingRule[] => {
      const sel = pods(store);
      const labels = { datastore: store.name };
      const replicated = store.instances > 1;
      return [
        alertingRule(model, {
          alert: 'PostgresInstanceDown', tenant, severity: 'critical', for: '5m', labels,
          expr: `cnpg_collector_up{${sel}} == 0`,
          summary: `A PostgreSQL instance of ${store.name} is down.`,
          description: `Instance {{ $labels.pod }} of ${store.name} has not answered its metrics exporter's queries for 5 minutes.`,
        }),
        ...(replicated ? [
          alertingRule(model, {
            alert: 'PostgresReplicationLagHigh', tenant, severity: 'warning', for: '5m', labels,
            expr: `max by (pod) (cnpg_pg_replication_lag{${sel}}) > ${a.postgresReplicationLagSeconds}`,
            summary: `A ${store.name} replica lags behind the primary.`,
            description: `Replica {{ $labels.pod }} is {{ $value }} s behind the primary (limit ${a.postgresReplicationLagSeconds} s); a failover now would lose those writes.`,
          }),
          alertingRule(model, {
            alert: 'PostgresReplicasMissing', tenant, severity: 'warning', for: '10m', labels,
            expr: `max(cnpg_pg_replication_streaming_replicas{${sel}}) < ${store.instances - 1}`,
            summary: `${store.name} has fewer streaming replicas than declared.`,
            description: `The primary streams to {{ $value }} replica(s); ${store.instances - 1} are declared.`,
          }),
        ] : []),
        alertingRule(model, {
          alert: 'PostgresWalArchivingFailing', tenant, severity: 'critical', for: '5m', labels,
          expr: `sum by (pod) (increase(cnpg_pg_stat_archiver_failed_count{${sel}}[10m])) > 0`,
          summary: `WAL archiving of ${store.name} is failing.`,
          description: `{{ $labels.pod }} failed to archive {{ $value }} WAL segment(s) in 10 minutes: point-in-time recovery stops at the last archived segment and WAL piles up on disk.`,
        }),
        alertingRule(model, {
          alert: 'PostgresBackupTooOld', tenant, severity: 'critical', for: '10m', labels,
          expr: `time() - max(cnpg_collector_last_available_backup_timestamp{${sel}}) > ${backupMaxAge}`,
          summary: `The newest base backup of ${store.name} is older than ${a.postgresBackupMaxAge}.`,
          description: `The newest base backup is {{ $value | humanizeDuration }} old (schedule ${store.cluster?.backup.schedule ?? 'none'}); recovery would need a long WAL replay, or fail past the recovery window.`,
        }),
        alertingRule(model, {
          alert: 'PostgresBackupFailed', tenant, severity: 'warning', for: '5m', labels,
          expr: `max(cnpg_collector_last_failed_backup_timestamp{${sel}}) > max(cnpg_collector_last_available_backup_timestamp{${sel}})`,
          summary: `The last base backup of ${store.name} failed.`,
          description: 'A base backup failed after the newest successful one.',
        }),
        alertingRule(model, {
          alert: 'PostgresConnectionsHigh', tenant, severity: 'warning', for: '10m', labels,
          expr: `100 * sum by (pod) (cnpg_backends_total{${sel}}) / max by (pod) (cnpg_pg_settings_setting{name="max_connections", ${sel}}) > ${a.postgresConnectionsPercent}`,
          summary: `${store.name} is running out of connections.`,
          description: `{{ $labels.pod }} uses {{ $value | printf "%.0f" }} % of max_connections (limit ${a.postgresConnectionsPercent} %).`,
        }),
      ];
    }),
  };
}

export function redisAlerts(model: LoadedModel): RuleGroup {
  const a = model.observability.alerts;
  return {
    name: 'redis',
    rules: model.datastores.filter((s) => s.engine === 'redis').flatMap((store): AlertingRule[] => {
      const sel = pods(store);
      const labels = { datastore: store.name };
      return [
        alertingRule(model, {
          alert: 'RedisDown', tenant, severity: 'critical', for: '2m', labels,
          expr: `redis_up{${sel}} == 0`,
          summary: `A Redis node of ${store.name} is down.`,
          description: 'redis_exporter beside {{ $labels.pod }} cannot reach its Redis server.',
        }),
        alertingRule(model, {
          alert: 'RedisMemoryHigh', tenant, severity: 'warning', for: '10m', labels,
          expr: `100 * redis_memory_used_bytes{${sel}} / (redis_memory_max_bytes{${sel}} > 0) > ${a.redisMemoryPercent}`,
          summary: `Redis ${store.name} is close to maxmemory.`,
          description: `{{ $labels.pod }} uses {{ $value | printf "%.0f" }} % of maxmemory (limit ${a.redisMemoryPercent} %); keys will be evicted or writes refused.`,
        }),
        ...(store.instances > 1 ? [alertingRule(model, {
          alert: 'RedisReplicationBroken', tenant, severity: 'critical', for: '5m', labels,
          expr: `redis_master_link_up{${sel}} == 0`,
          summary: `A Redis replica of ${store.name} lost its master.`,
          description: 'Replica {{ $labels.pod }} has had no link to its master for 5 minutes; it serves stale data and cannot take over.',
        })] : []),
      ];
    }),
  };
}
