// The platform alert catalog: every family's rule group for one environment's model. Docs, tests and the
// PrometheusRule generator read it from here.
import type { LoadedModel } from '../../../model/loaded.ts';
import { costAlerts } from './cost.ts';
import { postgresAlerts, redisAlerts } from './datastores.ts';
import { kafkaAlerts } from './kafka.ts';
import { kubernetesAlerts } from './kubernetes.ts';
import { nodeAlerts } from './nodes.ts';
import { operatorAlerts } from './operators.ts';
import type { RuleGroup } from './rules.ts';
import { serviceAlerts } from './services.ts';

export function alertCatalog(model: LoadedModel): RuleGroup[] {
  return [kubernetesAlerts, kafkaAlerts, postgresAlerts, redisAlerts, nodeAlerts, operatorAlerts, serviceAlerts, costAlerts]
    .map((family) => family(model))
    .filter((group) => group.rules.length > 0);
}
