// One KafkaUser per service that touches Kafka, named after the service, in the service's namespace
// (Strimzi's user operator writes the SCRAM-SHA-512 password into a Secret of the same name there,
// which the Deployment reads as KAFKA_PASSWORD). Its ACLs are derived from the model and nothing more:
// - Write + Describe on each topic it produces and each dead-letter topic of its consumes;
// - Read + Describe on each topic it consumes, and Read on its consumer group (the service name), or
//   on every group starting with `<service>-` when its groups are prefixed;
// - Write + Describe on each transactional id it declares.
import type { IKafkaUser } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/KafkaUser';
import type { LoadedService } from '../../model/loaded.ts';
import { kafkaServices } from '../../model/kafka.ts';
import { SCRAM_SHA_512, STRIMZI_CLUSTER_LABEL } from './common.ts';
import { customObject } from '../core/plain-object.ts';
import { serviceLabels } from '../core/labels.ts';
import { tenantPath } from '../core/paths.ts';
import type { Generator } from '../core/types.ts';

export type AclRule = NonNullable<IKafkaUser['spec']['authorization']>['acls'][number];
export type AclOperation = AclRule['operations'][number];

/** Operations in a fixed order, so rendered ACLs are stable. */
const OPERATION_ORDER: AclOperation[] = ['Read', 'Write', 'Create', 'Delete', 'Alter', 'Describe', 'ClusterAction', 'AlterConfigs', 'DescribeConfigs', 'IdempotentWrite', 'All'];

/** Literal allow rules, one per resource, operations merged and ordered; resources sorted by type then name. */
export function literalAcls(grants: Array<{ type: 'topic' | 'group' | 'transactionalId'; name: string; operations: AclOperation[] }>): AclRule[] {
  const merged = new Map<string, { type: 'topic' | 'group' | 'transactionalId'; name: string; operations: Set<AclOperation> }>();
  for (const grant of grants) {
    const key = `${grant.type}\u0000${grant.name}`;
    const entry = merged.get(key) ?? { type: grant.type, name: grant.name, operations: new Set<AclOperation>() };
    grant.operations.forEach((op) => entry.operations.add(op));
    merged.set(key, entry);
  }
  const typeOrder = ['topic', 'group', 'transactionalId'];
  return [...merged.values()]
    .sort((a, b) => typeOrder.indexOf(a.type) - typeOrder.indexOf(b.type) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((entry) => ({
      type: 'allow' as const,
      resource: { type: entry.type, name: entry.name, patternType: 'literal' as const },
      host: '*',
      operations: OPERATION_ORDER.filter((op) => entry.operations.has(op)),
    }));
}

/** The ACLs of a service's KafkaUser, from its model declarations only. */
export function serviceAcls(kafka: NonNullable<LoadedService['kafka']>): AclRule[] {
  const prefixed: AclRule[] = kafka.groupPrefix
    ? [{ type: 'allow', resource: { type: 'group', name: kafka.groupPrefix, patternType: 'prefix' }, host: '*', operations: ['Read'] }]
    : [];
  return [...literalAcls([
    ...kafka.write.map((name) => ({ type: 'topic' as const, name, operations: ['Write', 'Describe'] as AclOperation[] })),
    ...kafka.read.map((name) => ({ type: 'topic' as const, name, operations: ['Read', 'Describe'] as AclOperation[] })),
    ...(kafka.groupId ? [{ type: 'group' as const, name: kafka.groupId, operations: ['Read'] as AclOperation[] }] : []),
    ...kafka.transactionalIds.map((name) => ({ type: 'transactionalId' as const, name, operations: ['Write', 'Describe'] as AclOperation[] })),
  ]), ...prefixed];
}

export const kafkaUsers: Generator = ({ model }) =>
  kafkaServices(model).map((service) => {
    const labels = serviceLabels(model, service);
    return {
      path: tenantPath(service, 'KafkaUser', service.kafka.user),
      source: service.modelPath,
      object: customObject<IKafkaUser>({ apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaUser', metadata: {
          name: service.kafka.user,
          namespace: service.namespace,
          labels: { ...labels, [STRIMZI_CLUSTER_LABEL]: model.environment.kafka.clusterName },
        },
        spec: {
          authentication: { type: SCRAM_SHA_512 },
          authorization: { type: 'simple', acls: serviceAcls(service.kafka) },
          // The generated Secret (`password`, `sasl.jaas.config`) carries the service's labels.
          template: { secret: { metadata: { labels } } },
        },
      }),
    };
  });
