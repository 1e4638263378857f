// The translation Strimzi's user operator performs for `authorization: { type: simple }`: each
// KafkaUser ACL rule becomes one Kafka ACL binding per listed operation, for the user's principal.
// - principal: `User:<KafkaUser name>` for SCRAM-SHA-512 (and no authentication), `User:CN=<name>`
//   for `tls` / `tls-external` (the certificate's subject);
// - resource: topic → TOPIC, group → GROUP, transactionalId → TRANSACTIONAL_ID, cluster → CLUSTER
//   named `kafka-cluster`; `patternType` literal → LITERAL (the default), prefix → PREFIXED;
// - host: the rule's `host`, `*` when unset; `type` allow (the default) → ALLOW, deny → DENY;
// - operation: Read → READ, DescribeConfigs → DESCRIBE_CONFIGS, All → ALL, and so on.
// The user operator then makes the broker's ACLs for that principal exactly this set.
import type { IKafkaUser } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/KafkaUser';
import kafkajs from 'kafkajs';
import type { AclEntry, Admin } from 'kafkajs';

const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = kafkajs;

type Rule = NonNullable<IKafkaUser['spec']['authorization']>['acls'][number];

export type ResourceType = 'TOPIC' | 'GROUP' | 'CLUSTER' | 'TRANSACTIONAL_ID';
export type Operation = 'ALL' | 'READ' | 'WRITE' | 'CREATE' | 'DELETE' | 'ALTER' | 'DESCRIBE' | 'CLUSTER_ACTION' | 'DESCRIBE_CONFIGS' | 'ALTER_CONFIGS' | 'IDEMPOTENT_WRITE';

/** One Kafka ACL binding, in Kafka's own vocabulary. */
export interface AclBinding {
  principal: string;
  host: string;
  resourceType: ResourceType;
  resourceName: string;
  patternType: 'LITERAL' | 'PREFIXED';
  operation: Operation;
  permission: 'ALLOW' | 'DENY';
}

export const CLUSTER_RESOURCE_NAME = 'kafka-cluster';

const resourceTypes: Record<Rule['resource']['type'], ResourceType> = { topic: 'TOPIC', group: 'GROUP', cluster: 'CLUSTER', transactionalId: 'TRANSACTIONAL_ID' };

/** `DescribeConfigs` → `DESCRIBE_CONFIGS`. */
function operationName(operation: Rule['operations'][number]): Operation {
  return operation.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase() as Operation;
}

export function kafkaUserPrincipal(user: IKafkaUser): string {
  const name = user.metadata?.name ?? '';
  const type = user.spec.authentication?.type;
  return type === 'tls' || type === 'tls-external' ? `User:CN=${name}` : `User:${name}`;
}

/** The broker ACL bindings of a KafkaUser, sorted (see bindingKey). */
export function aclBindings(user: IKafkaUser): AclBinding[] {
  if (user.spec.authorization?.type !== 'simple') return [];
  const principal = kafkaUserPrincipal(user);
  const bindings = user.spec.authorization.acls.flatMap((rule) =>
    rule.operations.map((operation): AclBinding => ({
      principal,
      host: rule.host ?? '*',
      resourceType: resourceTypes[rule.resource.type],
      resourceName: rule.resource.type === 'cluster' ? CLUSTER_RESOURCE_NAME : rule.resource.name ?? '',
      patternType: rule.resource.patternType === 'prefix' ? 'PREFIXED' : 'LITERAL',
      operation: operationName(operation),
      permission: rule.type === 'deny' ? 'DENY' : 'ALLOW',
    })));
  return [...new Map(bindings.map((b) => [bindingKey(b), b])).values()].sort((a, b) => (bindingKey(a) < bindingKey(b) ? -1 : 1));
}

/** A stable identity of a binding: `principal|resource type|pattern|name|operation|permission|host`. */
export function bindingKey(b: AclBinding): string {
  return [b.principal, b.resourceType, b.patternType, b.resourceName, b.operation, b.permission, b.host].join('|');
}

export function toKafkajs(b: AclBinding): AclEntry {
  return {
    principal: b.principal,
    host: b.host,
    resourceType: AclResourceTypes[b.resourceType],
    resourceName: b.resourceName,
    resourcePatternType: ResourcePatternTypes[b.patternType],
    operation: AclOperationTypes[b.operation],
    permissionType: AclPermissionTypes[b.permission],
  };
}

const byValue = <T extends Record<string, string | number>>(enumeration: T) =>
  new Map(Object.entries(enumeration).filter(([, v]) => typeof v === 'number').map(([k, v]) => [v as number, k]));
const resourceTypeNames = byValue(AclResourceTypes as unknown as Record<string, number>);
const operationNames = byValue(AclOperationTypes as unknown as Record<string, number>);
const patternNames = byValue(ResourcePatternTypes as unknown as Record<string, number>);
const permissionNames = byValue(AclPermissionTypes as unknown as Record<string, number>);

/** Every ACL binding the broker holds for `principal`, sorted. */
export async function brokerBindings(admin: Admin, principal: string): Promise<AclBinding[]> {
  const { resources } = await admin.describeAcls({
    resourceType: AclResourceTypes.ANY,
    resourcePatternType: ResourcePatternTypes.ANY,
    principal,
    operation: AclOperationTypes.ANY,
    permissionType: AclPermissionTypes.ANY,
  });
  return resources
    .flatMap((r) => r.acls.map((acl): AclBinding => ({
      principal: acl.principal,
      host: acl.host,
      resourceType: resourceTypeNames.get(r.resourceType) as ResourceType,
      resourceName: r.resourceName,
      patternType: patternNames.get(r.resourcePatternType) as AclBinding['patternType'],
      operation: operationNames.get(acl.operation) as Operation,
      permission: permissionNames.get(acl.permissionType) as AclBinding['permission'],
    })))
    .sort((a, b) => (bindingKey(a) < bindingKey(b) ? -1 : 1));
}

/**
 * Make the broker's ACLs of the user's principal exactly the KafkaUser's, as the user operator does:
 * create what is missing, delete what is no longer declared. Returns what changed.
 */
export async function reconcileAcls(admin: Admin, user: IKafkaUser): Promise<{ created: AclBinding[]; deleted: AclBinding[] }> {
  const desired = aclBindings(user);
  const current = await brokerBindings(admin, kafkaUserPrincipal(user));
  const desiredKeys = new Set(desired.map(bindingKey));
  const currentKeys = new Set(current.map(bindingKey));
  const created = desired.filter((b) => !currentKeys.has(bindingKey(b)));
  const deleted = current.filter((b) => !desiredKeys.has(bindingKey(b)));
  if (created.length > 0) await admin.createAcls({ acl: created.map(toKafkajs) });
  if (deleted.length > 0) await admin.deleteAcls({ filters: deleted.map(toKafkajs) });
  return { created, deleted };
}
