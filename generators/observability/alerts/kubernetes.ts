// Kubernetes workloads: crash loops, pods not ready, unavailable replicas, HPAs at their maximum, memory near
// the limit and OOM kills,
// volumes filling up, failed CronJob runs. One rule per tenant (its namespaces) plus one for the platform's.
import type { LoadedModel } from '../../../model/loaded.ts';
import { type RuleGroup, alertingRule, perTenant } from './rules.ts';

/** A volume this full (share of capacity) pages instead of warning. */
const VOLUME_FULL_PERCENT = 97;

export function kubernetesAlerts(model: LoadedModel): RuleGroup {
  const { diskUsedPercent, containerMemoryPercent } = model.observability.alerts;
  const rule = (build: Parameters<typeof perTenant>[1]) => perTenant(model, build);
  return {
    name: 'kubernetes-workloads',
    rules: [
      ...rule((ns, tenant) => alertingRule(model, {
        alert: 'KubePodCrashLooping', tenant, severity: 'warning', for: '15m',
        expr: `max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff", ${ns}}[5m]) >= 1`,
        summary: 'A container is crash looping.',
        description: 'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} has been in CrashLoopBackOff for 15 minutes.',
      })),
      ...rule((ns, tenant) => alertingRule(model, {
        alert: 'KubePodNotReady', tenant, severity: 'warning', for: '15m',
        expr: `sum by (namespace, pod) (kube_pod_status_phase{phase=~"Pending|Unknown|Failed", ${ns}}) > 0`,
        summary: 'A pod has not been running for 15 minutes.',
        description: 'Pod {{ $labels.namespace }}/{{ $labels.pod }} has been Pending, Unknown or Failed for 15 minutes.',
      })),
      ...rule((ns, tenant) => alertingRule(model, {
        alert: 'KubeDeploymentReplicasUnavailable', tenant, severity: 'warning', for: '15m',
        expr: `kube_deployment_status_replicas_unavailable{${ns}} > 0`,
        summary: 'A Deployment has unavailable replicas.',
        description: 'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has had {{ $value }} unavailable replica(s) for 15 minutes.',
      })),
      ...rule((ns, tenant) => alertingRule(model, {
        alert: 'KubeStatefulSetReplicasNotReady', tenant, severity: 'warning', for: '15m',
        expr: `kube_statefulset_status_replicas_ready{${ns}} < kube_statefulset_replicas{${ns}}`,
        summary: 'A StatefulSet has replicas that are not ready.',
        description: 'StatefulSet {{ $labels.namespace }}/{{ $labels.statefulset }} has had only {{ $value }} ready replica(s) for 15 minutes.',
      })),
      ...rule((ns, tenant) => alertingRule(model, {
        alert: 'KubeHpaMaxedOut', tenant, severity: 'warning', for: '15m',
        expr: `kube_horizontalpodautoscaler_status_current_replicas{${ns}} >= kube_horizontalpodautoscaler_spec_max_replicas{${ns}}`,
        summary: 'An autoscaler has run at its maximum for 15 minutes.',
        description: 'HPA {{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler }} has run at its maximum of {{ $value }} replicas for 15 minutes; load may exceed what it may scale to.',
      })),
      ...rule((ns, tenant) => alertingRule(model, {
        alert: 'KubeContainerMemoryNearLimit', tenant, severity: 'warning', for: '15m',
        // cAdvisor's series per container (not the pod total, container=""), over the limit kube-state-metrics reports.
        expr: `100 * max by (namespace, pod, container) (container_memory_working_set_bytes{container!="", ${ns}}) / max by (namespace, pod, container) (kube_pod_container_resource_limits{resource="memory", ${ns}}) > ${containerMemoryPercent}`,
        summary: `A container has used more than ${containerMemoryPercent} % of its memory limit for 15 minutes.`,
        description: 'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} uses {{ $value | printf "%.0f" }} % of its memory limit; at 100 % it is OOM-killed.',
      })),
      ...rule((ns, tenant) => alertingRule(model, {
        alert: 'KubeContainerOomKilled', tenant, severity: 'warning',
        expr: `(kube_pod_container_status_restarts_total{${ns}} - kube_pod_container_status_restarts_total{${ns}} offset 10m >= 1) and ignoring (reason) min_over_time(kube_pod_container_status_last_terminated_reason{reason="OOMKilled", ${ns}}[10m]) == 1`,
        summary: 'A container was killed for running out of memory.',
        description: 'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} was OOM-killed in the last 10 minutes.',
      })),
      ...rule((ns, tenant) => alertingRule(model, {
        alert: 'KubePersistentVolumeFillingUp', tenant, severity: 'warning', for: '5m',
        expr: `100 * (1 - kubelet_volume_stats_available_bytes{${ns}} / kubelet_volume_stats_capacity_bytes{${ns}}) > ${diskUsedPercent}`,
        summary: `A volume is more than ${diskUsedPercent} % full.`,
        description: 'PersistentVolumeClaim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is {{ $value | printf "%.0f" }} % full.',
      })),
      ...rule((ns, tenant) => alertingRule(model, {
        alert: 'KubePersistentVolumeFull', tenant, severity: 'critical', for: '1m',
        expr: `100 * (1 - kubelet_volume_stats_available_bytes{${ns}} / kubelet_volume_stats_capacity_bytes{${ns}}) > ${VOLUME_FULL_PERCENT}`,
        summary: `A volume is more than ${VOLUME_FULL_PERCENT} % full.`,
        description: 'PersistentVolumeClaim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is {{ $value | printf "%.0f" }} % full; writes will fail soon.',
      })),
      ...rule((ns, tenant) => alertingRule(model, {
        alert: 'KubeCronJobFailed', tenant, severity: 'warning',
        expr: `kube_job_status_failed{${ns}} * on (namespace, job_name) group_left (owner_name) kube_job_owner{owner_kind="CronJob", ${ns}} > 0`,
        summary: 'A CronJob run failed.',
        description: 'Job {{ $labels.namespace }}/{{ $labels.job_name }} of CronJob {{ $labels.owner_name }} failed.',
      })),
    ],
  };
}
