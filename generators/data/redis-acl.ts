// Redis ACL users, one per client service, derived from its `access`: the rule each user gets, the
// config line the server loads it from, and the chart values that make the server load them. The line
// is a template External Secrets fills with the service's generated password (hashed), so the rule is
// rendered and reviewable while the password never leaves the cluster.
import type { LoadedDatastore } from '../../model/loaded.ts';
import { clientSecret } from './credentials.ts';

/** Keys of a Redis client's own Secret: its ACL user name, its password, and the server's config line for it. */
export const REDIS_USER_KEYS = { username: 'username', password: 'password', acl: 'acl.conf' } as const;
/** Where the Redis pods mount the users' config lines; `redis.conf` includes every file there. */
export const REDIS_ACL_DIR = '/opt/bitnami/redis/acl-users';
/** The chart's default common configuration (19.2.0 values.yaml), kept when the include is added. */
const CHART_COMMON_CONFIGURATION = ['appendonly yes', 'save ""'];

/**
 * Commands and keys per access level, applied left to right. `read`: read commands on keys it may only
 * read (`%R~*`, Redis 7) and subscribing; no writes, no publishing, no scripts. `read-write`: reads,
 * writes, pub/sub, scripts and transactions on every key. Both: the connection commands clients send
 * (AUTH, HELLO, CLIENT SETNAME, PING), INFO (ioredis' ready check), and nothing Redis flags dangerous
 * (FLUSHALL, CONFIG, KEYS, DEBUG, ACL, …).
 */
export const REDIS_ACL_RULES = {
  read: ['resetkeys', '%R~*', 'resetchannels', '&*', '-@all', '+@connection', '+@read', '+subscribe', '+psubscribe', '+ssubscribe', '+unsubscribe', '+punsubscribe', '+sunsubscribe', '-@dangerous', '+info'],
  'read-write': ['resetkeys', '~*', 'resetchannels', '&*', '-@all', '+@connection', '+@read', '+@write', '+@pubsub', '+@scripting', '+@transaction', '-@dangerous', '+info'],
} as const;

/** The ACL user of a service: its name. */
export function redisUser(service: string): string {
  return service;
}

/** The `user` directive of a client, with External Secrets' template for its password's SHA-256 (`#<hex>`). */
export function redisAclLine(client: LoadedDatastore['clients'][number]): string {
  return `user ${redisUser(client.service)} reset on #{{ .${REDIS_USER_KEYS.password} | sha256sum }} ${REDIS_ACL_RULES[client.access].join(' ')}`;
}

/** Chart values that load every client's ACL line: a projected volume of their Secrets, included by redis.conf. */
export function redisAclValues(store: LoadedDatastore): Record<string, unknown> {
  if (store.clients.length === 0) return { commonConfiguration: CHART_COMMON_CONFIGURATION.join('\n') };
  const volume = {
    name: 'acl-users',
    projected: {
      sources: store.clients.map((c) => ({ secret: { name: clientSecret(c.service, store.name), items: [{ key: REDIS_USER_KEYS.acl, path: `${c.service}.conf` }] } })),
    },
  };
  const mounts = [{ name: 'acl-users', mountPath: REDIS_ACL_DIR, readOnly: true }];
  return {
    commonConfiguration: [...CHART_COMMON_CONFIGURATION, `include ${REDIS_ACL_DIR}/*.conf`].join('\n'),
    extraVolumes: [volume],
    extraVolumeMounts: mounts,
  };
}
