// The environment's own settings: cluster, Kafka sizing, and environment-wide autoscaling checked once here,
// so that a wrong environment-wide value is reported at the environment's line, not at every service.
import { KAFKA_NAMESPACE, TLS_LISTENER } from '../kafka.ts';
import type { LoadedAccess, LoadedBackups, LoadedEnvironment } from '../loaded.ts';
import { parseDuration } from '../quantities.ts';
import { type LoadContext, report } from './context.ts';
import { DEFAULT_BACKUP_SCHEDULES, DEFAULT_MESH_MTLS, DEFAULT_STORAGE_CLASS, DEFAULT_TRACE_SAMPLE_PERCENT } from './defaults.ts';
import { loadRegions } from './regions.ts';

export function loadEnvironment(context: LoadContext): LoadedEnvironment {
  const { env, envPath } = context;
  const kafka = env.kafka;
  if (env.cluster.zones.length === 0) report(context, [...envPath, 'cluster', 'zones'], 'at least one zone is required');
  const autoscaling = env.autoscaling ?? {};
  if (autoscaling.minReplicas !== undefined && autoscaling.maxReplicas !== undefined && autoscaling.minReplicas > autoscaling.maxReplicas) {
    report(context, [...envPath, 'autoscaling'], `HPA minReplicas ${autoscaling.minReplicas} is greater than maxReplicas ${autoscaling.maxReplicas}`, 'raise maxReplicas or lower minReplicas');
  }
  if (env.mesh?.mtls === 'PERMISSIVE' && env.tier !== 'development') {
    report(context, [...envPath, 'mesh', 'mtls'], `a ${env.tier} environment accepts plaintext between meshed workloads`, "use 'STRICT' (PERMISSIVE is for development clusters only)");
  }
  const clusterName = context.platform.name;
  const regions = loadRegions(context);
  return {
    name: env.name,
    tier: env.tier,
    cluster: { ...env.cluster, zones: [...env.cluster.zones] },
    kubernetesVersion: env.kubernetesVersion,
    domain: env.domain,
    kafka: {
      clusterName,
      namespace: KAFKA_NAMESPACE,
      brokers: kafka.brokers,
      controllers: kafka.controllers,
      replication: kafka.replication,
      minInsyncReplicas: kafka.minInsyncReplicas,
      defaultPartitions: kafka.defaultPartitions,
      storage: kafka.storage,
      bootstrapServers: `${clusterName}-kafka-bootstrap.${KAFKA_NAMESPACE}.svc:${TLS_LISTENER.port}`,
      disasterRecovery: kafka.disasterRecovery ? { ...kafka.disasterRecovery } : null,
      storageClass: kafka.storageClass ?? DEFAULT_STORAGE_CLASS,
    },
    backups: loadBackups(context),
    monitoring: context.env.monitoring
      ? { ...structuredClone(context.env.monitoring), thanos: context.env.monitoring.thanos ? structuredClone(context.env.monitoring.thanos) : null, traceSamplePercent: context.env.monitoring.traceSamplePercent ?? DEFAULT_TRACE_SAMPLE_PERCENT }
      : null,
    mesh: { mtls: env.mesh?.mtls ?? DEFAULT_MESH_MTLS },
    access: loadAccess(context),
    chaos: { allowed: env.chaos !== undefined },
    region: regions[0],
    regions,
  };
}

/** Every owning team of every tenant has an SSO group here; a group that no team owns is refused too. */
function loadAccess(context: LoadContext): LoadedAccess {
  const { access } = context.env;
  const path = [...context.envPath, 'access'];
  const owningTeams = new Set<string>();
  const tenants = Object.entries(context.platform.tenants)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([tenant, spec]) => {
      const groups = new Set<string>();
      spec.owners.forEach((owner, i) => {
        owningTeams.add(owner.team);
        const group = access.teamGroups[owner.team];
        if (group === undefined) report(context, [...path, 'teamGroups'], `team "${owner.team}" owns tenant ${tenant} (tenants.${tenant}.owners[${i}]) but has no SSO group here`, `add '${owner.team}': '<SSO group>' to access.teamGroups`);
        else groups.add(group);
      });
      return { tenant, groups: [...groups].sort() };
    });
  for (const team of Object.keys(access.teamGroups)) {
    if (!owningTeams.has(team)) report(context, [...path, 'teamGroups', team], `team "${team}" owns no tenant`, 'remove it, or name the team in a tenant\'s owners');
  }
  if (Object.values(access.teamGroups).includes(access.platformAdmins)) report(context, [...path, 'platformAdmins'], `the platform administrators' group ${access.platformAdmins} is also a tenant team's group`, 'give the administrators a group of their own');
  return { platformAdmins: access.platformAdmins, tenantRole: access.tenantRole, tenants };
}

const HOUR_MS = 3_600_000;

function loadBackups(context: LoadContext): LoadedBackups {
  const { backups } = context.env;
  const path = [...context.envPath, 'backups'];
  if (backups.replicaRegion === backups.region) report(context, [...path, 'replicaRegion'], `the backup bucket replicates to its own region ${backups.region}`, 'replicate to another region, so a regional outage keeps a copy');
  const schedules: LoadedBackups['schedules'] = [];
  for (const name of ['daily', 'hourly'] as const) {
    const spec = backups[name];
    if (!spec) continue;
    const ms = parseDuration(spec.retention) ?? 0;
    if (ms % HOUR_MS !== 0 || ms === 0) report(context, [...path, name, 'retention'], `retention "${spec.retention}" is not a whole number of hours`, 'use hours, days or weeks (48h, 30d)');
    schedules.push({ name, schedule: spec.schedule ?? DEFAULT_BACKUP_SCHEDULES[name], retention: spec.retention, ttlHours: Math.round(ms / HOUR_MS) });
  }
  const [daily, hourly] = [schedules.find((s) => s.name === 'daily'), schedules.find((s) => s.name === 'hourly')];
  if (daily && hourly && hourly.ttlHours > daily.ttlHours) report(context, [...path, 'hourly', 'retention'], `hourly backups are kept longer (${hourly.retention}) than daily ones (${daily.retention})`, 'keep hourly backups for less time than daily ones');
  return { bucket: backups.bucket, region: backups.region, replicaRegion: backups.replicaRegion, roleArn: backups.roleArn, schedules };
}
