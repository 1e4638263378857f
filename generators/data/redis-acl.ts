// Redis ACL users, one per client service, derived from its `access`: the rule each user gets, the
// config line the server loads it from, and the chart values that make the server load them at start and
// apply a rotated one while it runs (the acl-sync sidecar). The line is a template External Secrets fills
// with the service's generated password (hashed), so the rule is rendered and reviewable while the
// password never leaves the cluster.
import type { LoadedDatastore } from '../../model/loaded.ts';
import { REDIS_PASSWORD_KEY, clientSecret } from './credentials.ts';

/** Keys of a Redis client's own Secret: its ACL user name, its password, and the server's config line for it. */
export const REDIS_USER_KEYS = { username: 'username', password: 'password', acl: 'acl.conf' } as const;
/** Where the Redis pods mount the users' config lines; `redis.conf` includes every file there. */
export const REDIS_ACL_DIR = '/opt/bitnami/redis/acl-users';
/** The Redis image of chart 19.2.0 (its values' `image`), pinned for the servers and the acl-sync sidecar alike. */
export const REDIS_IMAGE = { repository: 'bitnami/redis', tag: '7.2.4-debian-12-r13' } as const;
/** Seconds between two passes of the acl-sync sidecar over the mounted users. */
export const ACL_SYNC_INTERVAL_S = 30;
/**
 * The acl-sync sidecar's script (bash, in the Redis image): every ACL_SYNC_INTERVAL seconds, each mounted
 * `user` line that changed since it was last applied is applied to the local server with ACL SETUSER, so a
 * rotated password reaches the running server without a restart. ACL commands are not replicated: every pod
 * runs its own. Globbing is off while a line is split, so key patterns (`~*`) stay literal.
 */
export const ACL_SYNC_SCRIPT = [
  'declare -A applied',
  'while true; do',
  '  for f in "$ACL_DIR"/*.conf; do',
  '    [ -r "$f" ] || continue',
  '    line=$(cat "$f")',
  '    [ "${applied[$f]:-}" = "$line" ] && continue',
  '    set -f; words=($line); set +f',
  '    [ "${words[0]:-}" = user ] || continue',
  '    if [ "$(REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ACL SETUSER "${words[@]:1}")" = OK ]; then applied[$f]=$line; fi',
  '  done',
  '  sleep "$ACL_SYNC_INTERVAL"',
  'done',
].join('\n');
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

/** The acl-sync sidecar beside each Redis server: the users' volume, the default user's password, the local port. */
function aclSyncSidecar(store: LoadedDatastore, imageRegistry: string): Record<string, unknown> {
  return {
    name: 'acl-sync',
    image: `${imageRegistry}/${REDIS_IMAGE.repository}:${REDIS_IMAGE.tag}`,
    imagePullPolicy: 'IfNotPresent',
    command: ['/bin/bash', '-c', ACL_SYNC_SCRIPT],
    env: [
      { name: 'ACL_DIR', value: REDIS_ACL_DIR },
      { name: 'REDIS_PORT', value: String(store.port) },
      { name: 'ACL_SYNC_INTERVAL', value: String(ACL_SYNC_INTERVAL_S) },
      { name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: store.chart!.credentialsSecret, key: REDIS_PASSWORD_KEY } } },
    ],
    volumeMounts: [{ name: 'acl-users', mountPath: REDIS_ACL_DIR, readOnly: true }],
    resources: { requests: { cpu: '5m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } },
    securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
  };
}

/**
 * Chart values that load every client's ACL line: a projected volume of their Secrets, included by redis.conf
 * at start, and re-applied to the running server by the acl-sync sidecar when a Secret rotates.
 */
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
    sidecars: [aclSyncSidecar(store, store.chart!.imageRegistry)],
  };
}
