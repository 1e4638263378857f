// Nodes (node-exporter, kube-state-metrics): CPU, memory, filesystems, readiness. The platform team's.
import type { LoadedModel } from '../../../model/loaded.ts';
import { PLATFORM_TENANT, type RuleGroup, alertingRule } from './rules.ts';

const tenant = PLATFORM_TENANT;
/** Filesystems that are not node disks. */
const REAL_FILESYSTEMS = 'fstype!~"tmpfs|overlay|squashfs|nsfs"';
/** How far ahead a filesystem's trend (over the last 6 hours) is projected to run out. */
const FILL_HORIZON_HOURS = 4;

export function nodeAlerts(model: LoadedModel): RuleGroup {
  const a = model.observability.alerts;
  return {
    name: 'nodes',
    rules: [
      alertingRule(model, {
        alert: 'NodeCpuHigh', tenant, severity: 'warning', for: '15m',
        expr: `100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m]))) > ${a.nodeCpuPercent}`,
        summary: `A node's CPU is more than ${a.nodeCpuPercent} % busy.`,
        description: 'Node {{ $labels.instance }} has been {{ $value | printf "%.0f" }} % busy for 15 minutes.',
      }),
      alertingRule(model, {
        alert: 'NodeMemoryHigh', tenant, severity: 'warning', for: '15m',
        expr: `100 * (1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes) > ${a.nodeMemoryPercent}`,
        summary: `A node's memory is more than ${a.nodeMemoryPercent} % used.`,
        description: 'Node {{ $labels.instance }} has used {{ $value | printf "%.0f" }} % of its memory for 15 minutes; pods will be evicted or OOM-killed.',
      }),
      alertingRule(model, {
        alert: 'NodeFilesystemFillingUp', tenant, severity: 'warning', for: '15m',
        expr: `100 * (1 - node_filesystem_avail_bytes{${REAL_FILESYSTEMS}} / node_filesystem_size_bytes{${REAL_FILESYSTEMS}}) > ${a.diskUsedPercent}`,
        summary: `A node filesystem is more than ${a.diskUsedPercent} % full.`,
        description: 'Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} is {{ $value | printf "%.0f" }} % full.',
      }),
      alertingRule(model, {
        alert: 'NodeFilesystemWillFillSoon', tenant, severity: 'critical', for: '30m',
        expr: `predict_linear(node_filesystem_avail_bytes{${REAL_FILESYSTEMS}}[6h], ${FILL_HORIZON_HOURS * 3600}) < 0 and 100 * (1 - node_filesystem_avail_bytes{${REAL_FILESYSTEMS}} / node_filesystem_size_bytes{${REAL_FILESYSTEMS}}) > 50`,
        summary: `A node filesystem will be full within ${FILL_HORIZON_HOURS} hours at its current rate.`,
        description: 'Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} is filling up and will run out within ' + `${FILL_HORIZON_HOURS} hours.`,
      }),
      alertingRule(model, {
        alert: 'NodeNotReady', tenant, severity: 'critical', for: '10m',
        expr: 'kube_node_status_condition{condition="Ready", status="true"} == 0',
        summary: 'A node is not Ready.',
        description: 'Node {{ $labels.node }} has not been Ready for 10 minutes; its pods are being rescheduled or are lost.',
      }),
    ],
  };
}
