// The environment's regions: the primary (from `cluster`, `secretStore`, `backups`) and the further ones of
// `regions`, each checked for names shared with another region and for a Kafka mirror source nobody declares.
import { interRegionBootstrap } from '../kafka.ts';
import type { LoadedRegion } from '../loaded.ts';
import type { PathSegment } from '../problems.ts';
import { type LoadContext, report } from './context.ts';
import { DEFAULT_REGIONS } from './defaults.ts';

/** Folder holding the trees of the further regions inside rendered/<env>/. */
export const REGIONS_FOLDER = 'regions';

export function loadRegions(context: LoadContext): LoadedRegion[] {
  const { env, envPath } = context;
  const further = env.regions ?? DEFAULT_REGIONS;
  const regions: LoadedRegion[] = [
    {
      name: env.cluster.region,
      primary: true,
      cluster: { ...env.cluster, zones: [...env.cluster.zones] },
      folder: '',
      secretStore: { roleArn: env.secretStore.roleArn },
      backups: { bucket: env.backups.bucket, region: env.backups.region, replicaRegion: env.backups.replicaRegion, roleArn: env.backups.roleArn },
      kafka: { mirrorFrom: null, interRegionBootstrap: null },
      modelPath: [...envPath, 'cluster'].join('.'),
    },
    ...further.map((r, i): LoadedRegion => ({
      name: r.cluster.region,
      primary: false,
      cluster: { ...r.cluster, zones: [...r.cluster.zones] },
      folder: `${REGIONS_FOLDER}/${r.cluster.region}/`,
      secretStore: { roleArn: r.secretStore.roleArn },
      backups: { ...r.backups },
      kafka: { mirrorFrom: null, interRegionBootstrap: null },
      modelPath: [...envPath, 'regions', i].join('.'),
    })),
  ];
  const pathOf = (i: number, ...rest: PathSegment[]): PathSegment[] => (i === 0 ? [...envPath, 'cluster', ...rest.slice(1)] : [...envPath, 'regions', i - 1, ...rest]);
  for (const field of ['name', 'server', 'region'] as const) {
    const first = new Map<string, number>();
    regions.forEach((region, i) => {
      const value = region.cluster[field];
      const earlier = first.get(value);
      if (earlier === undefined) first.set(value, i);
      else report(context, pathOf(i, 'cluster', field), `${field === 'region' ? 'region' : `cluster ${field}`} "${value}" is already ${describe(earlier, envPath)}'s`, `give every region its own cluster ${field}`);
    });
  }
  further.forEach((r, i) => {
    const at = i + 1;
    if (r.cluster.zones.length === 0) report(context, pathOf(at, 'cluster', 'zones'), 'at least one zone is required');
    if (r.backups.replicaRegion === r.backups.region) report(context, pathOf(at, 'backups', 'replicaRegion'), `the backup bucket replicates to its own region ${r.backups.region}`, 'replicate to another region, so a regional outage keeps a copy');
    const source = regions.find((s) => s.cluster.name === r.kafka.mirrorFrom);
    if (!source) {
      report(context, pathOf(at, 'kafka', 'mirrorFrom'), `"${r.kafka.mirrorFrom}" names no declared cluster`, `name one of the environment's clusters: ${regions.filter((s) => s !== regions[at]).map((s) => s.cluster.name).join(', ')}`);
    } else if (source === regions[at]) {
      report(context, pathOf(at, 'kafka', 'mirrorFrom'), `region ${r.cluster.region} cannot mirror its own Kafka`, `name another region's cluster, e.g. the primary's "${regions[0].cluster.name}"`);
    } else {
      const address = interRegionBootstrap(source.cluster.name, env.domain);
      regions[at].kafka.mirrorFrom = { cluster: source.cluster.name, bootstrapServers: address };
      source.kafka.interRegionBootstrap = address;
    }
  });
  if (further.length > 0 && env.kafka.disasterRecovery) {
    report(context, [...envPath, 'kafka', 'disasterRecovery'], 'an environment with further regions replicates Kafka between its regions (regions[].kafka.mirrorFrom)', 'remove kafka.disasterRecovery, or the further regions');
  }
  return regions;
}

function describe(index: number, envPath: PathSegment[]): string {
  return index === 0 ? `the primary region's (${[...envPath, 'cluster'].join('.')})` : `regions[${index - 1}]`;
}
