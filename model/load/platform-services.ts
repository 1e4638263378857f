// Storage classes and certificate issuers: loaded with their defaults, and the references to them
// (Kafka's storage class, the ingress gateway's issuer) checked.
import type { LoadedClusterIssuer, LoadedStorageClass } from '../loaded.ts';
import { type LoadContext, dnsLabel, report, sortByName } from './context.ts';
import { DEFAULT_STORAGE_CLASS, DEFAULT_RECLAIM_POLICY } from './defaults.ts';

export function loadStorageClasses(context: LoadContext): LoadedStorageClass[] {
  const classes = sortByName(Object.entries(context.platform.storageClasses).map(([name, c]): LoadedStorageClass => {
    if (!dnsLabel.test(name)) report(context, ['storageClasses', name], `storage class name "${name}" is not a DNS label`);
    if (c.throughputMiBps !== undefined && c.volumeType !== 'gp3') report(context, ['storageClasses', name, 'throughputMiBps'], `throughput can be provisioned on gp3 only, not ${c.volumeType}`, 'remove throughputMiBps or use gp3');
    if (c.iops !== undefined && c.volumeType !== 'gp3' && c.volumeType !== 'io2') report(context, ['storageClasses', name, 'iops'], `IOPS can be provisioned on gp3 and io2 only, not ${c.volumeType}`, 'remove iops or use gp3/io2');
    return {
      name,
      description: c.description,
      volumeType: c.volumeType,
      iops: c.iops ?? null,
      throughputMiBps: c.throughputMiBps ?? null,
      reclaimPolicy: c.reclaimPolicy ?? DEFAULT_RECLAIM_POLICY,
      default: c.default ?? false,
      modelPath: `storageClasses.${name}`,
    };
  }));
  const defaults = classes.filter((c) => c.default);
  if (defaults.length > 1) report(context, ['storageClasses', defaults[1].name, 'default'], `more than one default storage class: ${defaults.map((c) => c.name).join(', ')}`, 'mark one class default');
  const kafkaClass = context.env.kafka.storageClass ?? DEFAULT_STORAGE_CLASS;
  if (!classes.some((c) => c.name === kafkaClass)) {
    report(context, [...context.envPath, 'kafka', 'storageClass'], `Kafka's storage class "${kafkaClass}" is not declared in storageClasses`, `declare it, or use one of: ${classes.map((c) => c.name).join(', ')}`);
  }
  return classes;
}

export function loadClusterIssuers(context: LoadContext): LoadedClusterIssuer[] {
  const issuers = sortByName(Object.entries(context.platform.clusterIssuers).map(([name, i]): LoadedClusterIssuer => {
    if (!dnsLabel.test(name)) report(context, ['clusterIssuers', name], `issuer name "${name}" is not a DNS label`);
    if (!/^https:\/\//.test(i.acme.server)) report(context, ['clusterIssuers', name, 'acme', 'server'], `ACME server "${i.acme.server}" is not an https URL`);
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(i.acme.email)) report(context, ['clusterIssuers', name, 'acme', 'email'], `"${i.acme.email}" is not an email address`);
    return { name, description: i.description, acme: { server: i.acme.server, email: i.acme.email }, modelPath: `clusterIssuers.${name}` };
  }));
  const wanted = context.platform.ingressGateway.clusterIssuer;
  if (!issuers.some((i) => i.name === wanted)) {
    report(context, ['ingressGateway', 'clusterIssuer'], `ClusterIssuer "${wanted}" is not declared in clusterIssuers`, `declare it, or use one of: ${issuers.map((i) => i.name).join(', ') || '(none declared)'}`);
  }
  return issuers;
}
