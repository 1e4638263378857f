// One loaded model per region: the environment's model with the region's cluster, secret store and backup
// bucket in place of the primary's. Generators read `environment.cluster`, `secrets.store` and
// `environment.backups` as they always have and `environment.region` for what only regions have (Kafka's role).
import type { LoadedModel, LoadedRegion } from './loaded.ts';

/**
 * Labels of the Argo CD cluster Secrets of a multi-region environment (registered outside this repository,
 * model/externals.ts): the ApplicationSet's cluster generator selects its clusters by them.
 */
export const CLUSTER_SECRET_LABELS = { environment: 'gamemetrics.dev/environment', cluster: 'gamemetrics.dev/cluster' } as const;

/** The model of each region, the primary's (the model itself) first. */
export function regionModels(model: LoadedModel): LoadedModel[] {
  return model.environment.regions.map((region) => (region.primary ? model : regionModel(model, region)));
}

function regionModel(model: LoadedModel, region: LoadedRegion): LoadedModel {
  const { environment, secrets } = model;
  return Object.freeze({
    ...model,
    environment: Object.freeze({
      ...environment,
      cluster: region.cluster,
      region,
      backups: Object.freeze({ ...environment.backups, ...region.backups }),
    }),
    secrets: Object.freeze({ ...secrets, store: Object.freeze({ ...secrets.store, region: region.cluster.region, roleArn: region.secretStore.roleArn }) }),
  });
}
