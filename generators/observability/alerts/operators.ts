// The platform's operators: certificates (cert-manager), External Secrets, Velero backups, Argo CD Applications.
import type { LoadedModel } from '../../../model/loaded.ts';
import { parseDuration } from '../../../model/quantities.ts';
import { type AlertingRule, PLATFORM_TENANT, type RuleGroup, alertingRule, perTenant } from './rules.ts';

export function operatorAlerts(model: LoadedModel): RuleGroup {
  const a = model.observability.alerts;
  const env = model.environment.name;
  const daily = model.environment.backups.schedules.filter((s) => s.name === 'daily');
  const veleroMaxAge = (parseDuration(a.veleroBackupMaxAge) ?? 0) / 1000;
  // Argo CD Applications belong to their AppProject: `<env>-<tenant>` for tenants, `<env>-platform` for the rest.
  const byProject = (build: (project: string, tenant: string) => AlertingRule) => [
    ...model.tenants.map((t) => build(`project="${env}-${t.name}"`, t.name)),
    build(`project!~"${model.tenants.map((t) => `${env}-${t.name}`).join('|')}"`, PLATFORM_TENANT),
  ];
  return {
    name: 'platform-operators',
    rules: [
      ...perTenant(model, (ns, tenant) => alertingRule(model, {
        alert: 'CertificateExpiringSoon', tenant, severity: 'warning', for: '1h',
        expr: `(certmanager_certificate_expiration_timestamp_seconds{${ns}} - time()) < ${a.certificateExpiryDays * 86400}`,
        summary: `A certificate expires within ${a.certificateExpiryDays} days.`,
        description: 'Certificate {{ $labels.namespace }}/{{ $labels.name }} expires in {{ $value | humanizeDuration }} and has not been renewed.',
      })),
      ...perTenant(model, (ns, tenant) => alertingRule(model, {
        alert: 'CertificateNotReady', tenant, severity: 'warning', for: '15m',
        expr: `certmanager_certificate_ready_status{condition="False", ${ns}} == 1`,
        summary: 'A certificate is not ready.',
        description: 'Certificate {{ $labels.namespace }}/{{ $labels.name }} has not been Ready for 15 minutes; its Secret may be missing or stale.',
      })),
      ...perTenant(model, (ns, tenant) => alertingRule(model, {
        alert: 'ExternalSecretNotSynced', tenant, severity: 'warning', for: '15m',
        expr: `externalsecret_status_condition{condition="Ready", status="False", ${ns}} == 1`,
        summary: 'An ExternalSecret is not synced.',
        description: 'ExternalSecret {{ $labels.namespace }}/{{ $labels.name }} has not been Ready for 15 minutes: its Secret is missing or stale.',
      })),
      ...perTenant(model, (ns, tenant) => alertingRule(model, {
        alert: 'ExternalSecretSyncErrors', tenant, severity: 'warning', for: '15m',
        expr: `sum by (namespace, name) (increase(externalsecret_sync_calls_error{${ns}}[15m])) > 0`,
        summary: 'An ExternalSecret keeps failing to sync.',
        description: 'ExternalSecret {{ $labels.namespace }}/{{ $labels.name }} failed {{ $value | printf "%.0f" }} sync call(s) in 15 minutes.',
      })),
      alertingRule(model, {
        alert: 'VeleroBackupFailed', tenant: PLATFORM_TENANT, severity: 'critical',
        expr: 'sum by (schedule) (increase(velero_backup_failure_total{schedule!=""}[1h])) > 0',
        summary: 'A Velero backup failed.',
        description: 'A backup of schedule {{ $labels.schedule }} failed in the last hour.',
      }),
      alertingRule(model, {
        alert: 'VeleroBackupPartiallyFailed', tenant: PLATFORM_TENANT, severity: 'warning',
        expr: 'sum by (schedule) (increase(velero_backup_partial_failure_total{schedule!=""}[1h])) > 0',
        summary: 'A Velero backup partially failed.',
        description: 'A backup of schedule {{ $labels.schedule }} finished with errors in the last hour: some objects or volumes are missing from it.',
      }),
      ...daily.map((s) => alertingRule(model, {
        alert: 'VeleroBackupTooOld', tenant: PLATFORM_TENANT, severity: 'critical', for: '10m',
        labels: { schedule: s.name },
        expr: `time() - velero_backup_last_successful_timestamp{schedule="${s.name}"} > ${veleroMaxAge}`,
        summary: `The newest successful ${s.name} backup is older than ${a.veleroBackupMaxAge}.`,
        description: `The newest successful backup of schedule ${s.name} (${s.schedule}) is {{ $value | humanizeDuration }} old.`,
      })),
      ...byProject((project, tenant) => alertingRule(model, {
        alert: 'ArgoCdAppOutOfSync', tenant, severity: 'warning', for: '30m',
        expr: `max by (name, project) (argocd_app_info{sync_status="OutOfSync", ${project}}) == 1`,
        summary: 'An Argo CD Application has been out of sync for 30 minutes.',
        description: 'Application {{ $labels.name }} (project {{ $labels.project }}) differs from Git and has not synced for 30 minutes.',
      })),
      ...byProject((project, tenant) => alertingRule(model, {
        alert: 'ArgoCdAppDegraded', tenant, severity: 'critical', for: '15m',
        expr: `max by (name, project, health_status) (argocd_app_info{health_status=~"Degraded|Missing", ${project}}) == 1`,
        summary: 'An Argo CD Application is degraded.',
        description: 'Application {{ $labels.name }} (project {{ $labels.project }}) has been {{ $labels.health_status }} for 15 minutes.',
      })),
    ],
  };
}
