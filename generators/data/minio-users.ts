// MinIO users, one per client service, derived from its `access`: the policy each user gets, and the chart
// values of the user-sync sidecar that creates the users and applies a rotated secret key to the running
// server with MinIO's admin API (`mc`), reading each user's Secret from a projected volume. The chart's own
// `users:` job is not used: it runs only at a sync and leaves an existing user's secret key as it was.
import type { LoadedDatastore } from '../../model/loaded.ts';
import { MINIO_ROOT_KEYS, MINIO_USER_KEYS, clientSecret } from './credentials.ts';

/** MinIO's built-in policy for a client's access. */
export const MINIO_POLICY = { read: 'readonly', 'read-write': 'readwrite' } as const;
/** The `mc` image of chart 5.4.0 (its values' `mcImage`), pinned for the chart's jobs and the user-sync sidecar alike. */
export const MINIO_MC_IMAGE = { repository: 'minio/mc', tag: 'RELEASE.2024-11-21T17-21-54Z' } as const;
/** Where the sidecar mounts the users' Secrets: one directory per service, holding its Secret's keys. */
export const MINIO_USERS_DIR = '/var/run/secrets/gamemetrics.dev/minio-users';
/** The sidecar's scratch space (memory): what it last applied per user, and `mc`'s config directory. */
export const MINIO_USER_STATE_DIR = '/tmp/minio-user-sync';
/** Seconds between two passes of the sidecar over the mounted users. */
export const MINIO_USER_SYNC_INTERVAL_S = 30;
/**
 * Seconds a changed secret key waits before it is applied: the services' copies (Kyverno, then the kubelet's
 * refresh of their mounted file, about a minute) follow the same Secret change, so by then the clients already
 * hold the new key and the old one still works until the server switches. A user the sidecar has not applied
 * yet since it started (a new user, a restarted pod) is applied at once.
 */
export const MINIO_USER_APPLY_DELAY_S = 120;

/**
 * The MinIO group that marks the users the sidecar manages. It has no policy (membership grants nothing); the
 * sidecar adds each user it applies and removes only members no longer declared, never root (MinIO refuses it
 * as a member) nor a user made by anyone else.
 */
export const MINIO_USER_SYNC_GROUP = 'gamemetrics-user-sync';

/**
 * The user-sync sidecar's script (POSIX sh; in the `mc` image it needs only `cat`, `sleep` and `mc`, which
 * the chart's own jobs use too). It logs in as root through an alias (keys on stdin, kept in the memory
 * volume: neither on a command line nor in a URL). Every MINIO_USER_SYNC_INTERVAL seconds, each mounted user whose access key,
 * policy or secret key differ from what it last applied is applied to the local server: `mc admin user add`
 * (the secret key on stdin; it updates an existing user's key), membership of MANAGED_GROUP, then the user's
 * policies are made exactly its own (others detached, its own attached). A change to a user already applied
 * waits APPLY_DELAY seconds first (MINIO_USER_APPLY_DELAY_S). Then, when every mounted user was read, a member
 * of MANAGED_GROUP that is no longer mounted is removed (`mc admin user remove`) once it has stayed undeclared
 * for APPLY_DELAY seconds (pods of a removed service may still be stopping), if this sidecar knows it: it was a
 * member at the sidecar's first look at the group, or the sidecar applied it. A user another pod's sidecar
 * added later (a newly declared service, while this pod still runs with the volume of before) is left alone.
 * A failed step is retried at the next pass.
 */
export const MINIO_USER_SYNC_SCRIPT = [
  'set -u',
  'printf \'%s\n%s\n\' "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" | mc alias set local "http://127.0.0.1:$MINIO_PORT" --api s3v4 --path on > /dev/null || exit 1',
  'pass=0',
  // The group members this sidecar may remove: those at its first look at the group, and those it applied.
  'known=,',
  'first=1',
  'while true; do',
  '  pass=$((pass + 1))',
  '  declared=" "',
  '  complete=1',
  '  for dir in "$USERS_DIR"/*/; do',
  '    dir=${dir%/}',
  `    [ -r "$dir/${MINIO_USER_KEYS.secretAccessKey}" ] || { complete=; continue; }`,
  `    user=$(cat "$dir/${MINIO_USER_KEYS.accessKeyId}") && policy=$(cat "$dir/${MINIO_USER_KEYS.policy}") && secret=$(cat "$dir/${MINIO_USER_KEYS.secretAccessKey}") || { complete=; continue; }`,
  '    declared="$declared$user "',
  '    want="$user $policy $secret"',
  '    state="$STATE_DIR/${dir##*/}"',
  '    applied=$(cat "$state.applied" 2>/dev/null) || applied=',
  '    [ "$applied" = "$want" ] && continue',
  '    if [ -n "$applied" ]; then',
  '      seen=$(cat "$state.seen" 2>/dev/null) || seen=',
  '      if [ "${seen#* }" != "$want" ]; then printf \'%s %s\' "$pass" "$want" > "$state.seen"; echo "minio-user-sync: user $user changed, applying it in ${APPLY_DELAY}s"; continue; fi',
  '      [ $(( (pass - ${seen%% *}) * SYNC_INTERVAL )) -ge "$APPLY_DELAY" ] || continue',
  '    fi',
  '    printf \'%s\\n%s\\n\' "$user" "$secret" | mc admin user add local > /dev/null || continue',
  '    mc admin group add local "$MANAGED_GROUP" "$user" > /dev/null || continue',
  '    info=$(mc admin user info local "$user" --json) || continue',
  '    current=',
  '    case $info in *\'"policyName":"\'*) current=${info#*\'"policyName":"\'}; current=${current%%\'"\'*} ;; esac',
  '    ( IFS=,; set -f; for p in $current; do [ "$p" = "$policy" ] || mc admin policy detach local "$p" --user "$user" > /dev/null || exit 1; done ) || continue',
  '    case ",$current," in *",$policy,"*) ;; *) mc admin policy attach local "$policy" --user "$user" > /dev/null || continue ;; esac',
  '    case $known in *",\\"$user\\","*) ;; *) known="$known\\"$user\\"," ;; esac',
  '    printf \'%s\' "$want" > "$state.applied" && echo "minio-user-sync: applied user $user (policy $policy)"',
  '  done',
  // Removal: only when every mounted user was read (a half-read volume never removes anyone), only members of
  // MANAGED_GROUP this sidecar knows (a pod not yet rolled to a new volume leaves a newly declared user alone).
  // State files are emptied, not deleted (no `rm` needed).
  '  if [ -n "$complete" ] && info=$(mc admin group info local "$MANAGED_GROUP" --json 2>/dev/null); then',
  '    rest=',
  '    case $info in *\'"members":[\'*) rest=${info#*\'"members":[\'}; rest=${rest%%]*} ;; esac',
  '    if [ -n "$first" ]; then known="$known$rest,"; first=; fi',
  '    while [ -n "$rest" ]; do',
  '      member=${rest%%,*}',
  '      if [ "$member" = "$rest" ]; then rest=; else rest=${rest#*,}; fi',
  '      member=${member#\\"}; member=${member%\\"}',
  '      gone="$STATE_DIR/gone.$member"',
  '      case $declared in *" $member "*) [ -s "$gone" ] && : > "$gone"; continue ;; esac',
  '      case $known in *",\\"$member\\","*) ;; *) continue ;; esac',
  '      since=$(cat "$gone" 2>/dev/null) || since=',
  '      if [ -z "$since" ]; then printf \'%s\' "$pass" > "$gone"; echo "minio-user-sync: user $member is no longer declared, removing it in ${APPLY_DELAY}s"; continue; fi',
  '      [ $(( (pass - since) * SYNC_INTERVAL )) -ge "$APPLY_DELAY" ] || continue',
  '      mc admin user remove local "$member" > /dev/null || continue',
  '      : > "$gone"',
  '      for f in "$STATE_DIR"/*.applied; do case $(cat "$f" 2>/dev/null) in "$member "*) : > "$f" ;; esac; done',
  '      echo "minio-user-sync: removed user $member (no longer declared)"',
  '    done',
  '  fi',
  '  sleep "$SYNC_INTERVAL"',
  'done',
].join('\n');

/** The policy of a client's MinIO user. */
export function minioPolicy(client: LoadedDatastore['clients'][number]): string {
  return MINIO_POLICY[client.access];
}

/** The user-sync sidecar beside each MinIO server: the users' volume, the root credentials, the local port. */
function userSyncSidecar(store: LoadedDatastore): Record<string, unknown> {
  const root = store.chart!.credentialsSecret;
  return {
    name: 'user-sync',
    image: `${store.chart!.imageRegistry}/${MINIO_MC_IMAGE.repository}:${MINIO_MC_IMAGE.tag}`,
    imagePullPolicy: 'IfNotPresent',
    command: ['/bin/sh', '-c', MINIO_USER_SYNC_SCRIPT],
    env: [
      { name: 'USERS_DIR', value: MINIO_USERS_DIR },
      { name: 'STATE_DIR', value: MINIO_USER_STATE_DIR },
      { name: 'MC_CONFIG_DIR', value: `${MINIO_USER_STATE_DIR}/mc` },
      { name: 'MINIO_PORT', value: String(store.port) },
      { name: 'SYNC_INTERVAL', value: String(MINIO_USER_SYNC_INTERVAL_S) },
      { name: 'APPLY_DELAY', value: String(MINIO_USER_APPLY_DELAY_S) },
      { name: 'MANAGED_GROUP', value: MINIO_USER_SYNC_GROUP },
      { name: 'MINIO_ROOT_USER', valueFrom: { secretKeyRef: { name: root, key: MINIO_ROOT_KEYS.user } } },
      { name: 'MINIO_ROOT_PASSWORD', valueFrom: { secretKeyRef: { name: root, key: MINIO_ROOT_KEYS.password } } },
    ],
    volumeMounts: [
      { name: 'minio-users', mountPath: MINIO_USERS_DIR, readOnly: true },
      { name: 'minio-user-sync', mountPath: MINIO_USER_STATE_DIR },
    ],
    // Idle it is a shell asleep; each `mc admin` call peaks at about 100-165 MB (measured, scripts/harness mc).
    resources: { requests: { cpu: '5m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
  };
}

/**
 * Chart values that keep every client's MinIO user in step with its Secret: a projected volume of their
 * Secrets (`<service>/<key>`) and a memory scratch volume, both for the user-sync sidecar. The server itself
 * mounts neither.
 */
export function minioUserValues(store: LoadedDatastore): Record<string, unknown> {
  if (store.clients.length === 0) return {};
  const items = [MINIO_USER_KEYS.accessKeyId, MINIO_USER_KEYS.policy, MINIO_USER_KEYS.secretAccessKey];
  return {
    extraVolumes: [
      {
        name: 'minio-users',
        projected: {
          sources: store.clients.map((c) => ({ secret: { name: clientSecret(c.service, store.name), items: items.map((key) => ({ key, path: `${c.service}/${key}` })) } })),
        },
      },
      { name: 'minio-user-sync', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } },
    ],
    extraContainers: [userSyncSidecar(store)],
  };
}
