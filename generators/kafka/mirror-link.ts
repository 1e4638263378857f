// Where MirrorMaker 2 runs and which remote Kafka it talks to, from the environment's values:
// - `pull`: a further region whose `kafka.mirrorFrom` names another region's cluster: MirrorMaker 2 runs here
//   and copies that cluster (reached over its inter-region listener) into this one;
// - `push`: an environment naming an external `kafka.disasterRecovery` cluster: MirrorMaker 2 runs here and
//   copies this cluster to that one.
// Either way the remote cluster's CA and the mirror user's password there are Secrets named after its alias,
// read from the secret store (generators/secrets/catalog.ts).
import type { LoadedModel } from '../../model/loaded.ts';

export interface MirrorLink {
  mode: 'pull' | 'push';
  /** The remote cluster: its MirrorMaker 2 alias (its Secrets here are named after it) and bootstrap servers. */
  remote: { alias: string; bootstrapServers: string };
  /** This cluster's MirrorMaker 2 alias. */
  localAlias: string;
  /** Model path of the declaration, for file headers. */
  modelPath: string;
}

export function mirrorLink(model: LoadedModel): MirrorLink | null {
  const { kafka, region } = model.environment;
  const from = region.kafka.mirrorFrom;
  if (from) return { mode: 'pull', remote: { alias: from.cluster, bootstrapServers: from.bootstrapServers }, localAlias: region.cluster.name, modelPath: `${region.modelPath}.kafka.mirrorFrom` };
  const dr = kafka.disasterRecovery;
  if (dr) return { mode: 'push', remote: { alias: dr.clusterAlias, bootstrapServers: dr.bootstrapServers }, localAlias: kafka.clusterName, modelPath: 'environment.kafka.disasterRecovery' };
  return null;
}

/** Where other regions' MirrorMaker 2 reach this cluster (its inter-region listener), or null when none mirrors from it. */
export function mirroredBy(model: LoadedModel): string | null {
  return model.environment.region.kafka.interRegionBootstrap;
}
