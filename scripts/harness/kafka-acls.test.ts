// The Strimzi `simple` authorization translation (KafkaUser ACL rules → Kafka ACL bindings), without a broker.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { IKafkaUser } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/KafkaUser';
import kafkajs from 'kafkajs';
import { aclBindings, bindingKey, kafkaUserPrincipal, toKafkajs } from './kafka-acls.ts';
import { renderedKafka, topicToCreate } from './kafka-rendered.ts';
import { renderAll } from '../../render/render.ts';

const { AclOperationTypes, AclResourceTypes, ResourcePatternTypes, AclPermissionTypes } = kafkajs;

const user = (name: string, spec: IKafkaUser['spec']): IKafkaUser => ({ apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaUser', metadata: { name }, spec });

describe("Strimzi's simple authorization translation", () => {
  test('one binding per operation, principal User:<name> for SCRAM, literal pattern and host * by default', () => {
    const bindings = aclBindings(user('reader', {
      authentication: { type: 'scram-sha-512' },
      authorization: { type: 'simple', acls: [{ resource: { type: 'topic', name: 'a.b' }, operations: ['Read', 'Describe'] }] },
    }));
    assert.deepEqual(bindings.map(bindingKey), [
      'User:reader|TOPIC|LITERAL|a.b|DESCRIBE|ALLOW|*',
      'User:reader|TOPIC|LITERAL|a.b|READ|ALLOW|*',
    ]);
  });

  test('tls users are CN=<name>; cluster, transactional id, prefix, deny, host and multi-word operations', () => {
    const bindings = aclBindings(user('mtls', {
      authentication: { type: 'tls' },
      authorization: {
        type: 'simple',
        acls: [
          { resource: { type: 'cluster' }, operations: ['DescribeConfigs', 'IdempotentWrite'] },
          { resource: { type: 'transactionalId', name: 'tx-', patternType: 'prefix' }, operations: ['Write'] },
          { type: 'deny', resource: { type: 'group', name: 'g' }, host: '10.0.0.1', operations: ['All'] },
        ],
      },
    }));
    assert.deepEqual(bindings.map(bindingKey), [
      'User:CN=mtls|CLUSTER|LITERAL|kafka-cluster|DESCRIBE_CONFIGS|ALLOW|*',
      'User:CN=mtls|CLUSTER|LITERAL|kafka-cluster|IDEMPOTENT_WRITE|ALLOW|*',
      'User:CN=mtls|GROUP|LITERAL|g|ALL|DENY|10.0.0.1',
      'User:CN=mtls|TRANSACTIONAL_ID|PREFIXED|tx-|WRITE|ALLOW|*',
    ]);
    assert.deepEqual(toKafkajs(bindings[3]), {
      principal: 'User:CN=mtls', host: '*', resourceType: AclResourceTypes.TRANSACTIONAL_ID, resourceName: 'tx-',
      resourcePatternType: ResourcePatternTypes.PREFIXED, operation: AclOperationTypes.WRITE, permissionType: AclPermissionTypes.ALLOW,
    });
  });

  test('no simple authorization, no bindings; principal without authentication is User:<name>', () => {
    assert.deepEqual(aclBindings(user('none', {})), []);
    assert.equal(kafkaUserPrincipal(user('plain', {})), 'User:plain');
  });

  test('the rendered dev users translate to exactly Write/Read/Describe topic bindings, Read on own groups and Write/Describe on own transactional ids', () => {
    const { users, topics } = renderedKafka(renderAll(['dev']).environments[0].files);
    const all = users.flatMap(aclBindings);
    assert.ok(all.length > 10);
    const prefixedGroup = (b: (typeof all)[number]) => b.resourceType === 'GROUP' && b.patternType === 'PREFIXED' && b.resourceName.endsWith('-');
    assert.deepEqual(all.filter(prefixedGroup).map(bindingKey), ['User:schema-registry|GROUP|PREFIXED|schema-registry-|READ|ALLOW|*'], 'only the Schema Registry uses prefixed groups');
    for (const b of all) {
      const own = b.principal === `User:${b.resourceName.split('.')[0]}`;
      assert.ok(
        b.resourceType === 'TOPIC'
          ? ['WRITE', 'READ', 'DESCRIBE'].includes(b.operation)
          : b.resourceType === 'GROUP'
            ? b.operation === 'READ' && (prefixedGroup(b) ? `User:${b.resourceName.slice(0, -1)}` : `User:${b.resourceName}`) === b.principal
            : b.resourceType === 'TRANSACTIONAL_ID' && ['WRITE', 'DESCRIBE'].includes(b.operation) && own,
        bindingKey(b),
      );
      // Literal everywhere but the groups of a service that declares consumerGroups: 'prefixed' (`<service>-*`).
      assert.equal(b.patternType, prefixedGroup(b) ? 'PREFIXED' : 'LITERAL', bindingKey(b));
      assert.equal(b.permission, 'ALLOW');
    }
    assert.deepEqual(
      all.filter((b) => b.resourceType === 'TRANSACTIONAL_ID' && b.operation === 'WRITE').map((b) => b.resourceName).sort(),
      Array.from({ length: 16 }, (_, i) => `event-processor.tx-${i}`).sort(),
      "event-processor's transactional ids, one per partition it may consume",
    );
    const raw = topicToCreate(topics.find((t) => t.metadata?.name === 'player.events.raw')!);
    assert.deepEqual(raw, {
      topic: 'player.events.raw', numPartitions: 2, replicationFactor: 1,
      configEntries: [{ name: 'cleanup.policy', value: 'delete' }, { name: 'min.insync.replicas', value: '1' }, { name: 'retention.ms', value: '604800000' }],
    });
  });
});
