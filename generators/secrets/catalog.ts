// Every Secret a rendered object references that no operator creates, derived from the loaded model, with
// where its value comes from: generated in the cluster (datastore credentials, the datastores' own server
// credentials) or read from AWS Secrets Manager (secretEnv, backup keys, the DR
// cluster's credentials and CA). Also the in-cluster copies
// of Secrets that their consumers need in another namespace. docs/secrets.md explains the choices.
import { databaseRole } from '../../model/load/datastores.ts';
import type { LoadedDatastore, LoadedModel, LoadedService } from '../../model/loaded.ts';
import { datastoreNamed } from '../core/lookup.ts';
import { BACKUP_KEYS, BASIC_AUTH_KEYS, MINIO_ROOT_KEYS, MINIO_ROOT_USER, MINIO_USER_KEYS, QDRANT_API_KEY_KEY, REDIS_PASSWORD_KEY, clientSecret, migratorSecret, readOnlyKeySecret } from '../data/credentials.ts';
import { minioPolicy } from '../data/minio-users.ts';
import { REDIS_USER_KEYS, redisAclLine, redisUser } from '../data/redis-acl.ts';
import { CLUSTER_CA_CERT_KEY, USER_PASSWORD_KEY, clusterCaSecretName, kafkaUserNamespaces } from '../kafka/common.ts';
import { mirrorUserName } from '../kafka/mirror.ts';
import { mirrorLink } from '../kafka/mirror-link.ts';
import { stackSecrets } from '../observability/stack/secrets.ts';

/** Shapes of generated values, one External Secrets Password generator each (symbols left out: values go into URLs and AUTH commands). */
export const PASSWORD_PROFILES = {
  'credential-password': { length: 32, digits: 8, symbols: 0, noUpper: false, allowRepeat: true },
  'access-key-id': { length: 20, digits: 6, symbols: 0, noUpper: false, allowRepeat: true },
  'secret-access-key': { length: 40, digits: 10, symbols: 0, noUpper: false, allowRepeat: true },
} as const;
export type PasswordProfile = keyof typeof PASSWORD_PROFILES;

/** A key of a credential: generated, or a fixed value (a user name); `env` is the variable a client reads it into. */
interface CredentialKey {
  key: string;
  env?: string;
  generate?: PasswordProfile;
  value?: string;
}

/**
 * How a generated credential rotates. `live`: the server applies a changed Secret while it runs
 * (CloudNativePG's managed roles, labelled for reload; Redis ACL users, re-applied by the acl-sync sidecar;
 * MinIO users, re-applied by the user-sync sidecar) and the client re-reads it from a mounted file, so the
 * value is regenerated every `rotation`. `on-request`: the server reads it only when it starts (Redis' default
 * user, Qdrant's keys, MinIO's root), so it is generated once and rotated by the procedure in docs/secrets.md;
 * regenerating it behind the server's back would lock clients out at their next restart.
 */
export type RotationMode = 'live' | 'on-request';

/** Engines whose clients' own credentials rotate live (see RotationMode). */
const LIVE_ROTATION_ENGINES = new Set(['postgresql', 'redis', 'minio']);

/** A Secret generated in the cluster (External Secrets' Password generator) where a datastore's server reads it. */
export interface GeneratedSecret {
  secret: string;
  namespace: string;
  keys: CredentialKey[];
  rotation: string;
  rotationMode: RotationMode;
  /** basic-auth Secret labelled `cnpg.io/reload`: CloudNativePG applies a change at once. */
  cnpgRole: boolean;
  modelPath: string;
}

/** A service's credential for one datastore: Secret `<service>-<datastore>` in the service's namespace, a copy of `source` in the datastore's. */
export interface DatastoreCredential {
  secret: string;
  engine: string;
  /** Where the datastore reads it (and `source` lives). */
  namespace: string;
  /** Where the service reads it. */
  consumerNamespace: string;
  /**
   * The Secret in `namespace` the service's copy is made from: its own (`secret`, generated: PostgreSQL roles,
   * Redis ACL users, MinIO users), or the server's shared one (Qdrant's key, read-only for `read`).
   */
  source: string;
  keys: CredentialKey[];
  rotation: string;
  modelPath: string;
}

/** What a service reads from its credential, and whether it is its own (generated as `secret`) or the server's. */
function clientCredential(store: LoadedDatastore, service: LoadedService, access: 'read' | 'read-write'): { keys: CredentialKey[]; source: string } {
  const own = clientSecret(service.name, store.name);
  switch (store.engine) {
    case 'postgresql':
      return { source: own, keys: [{ key: BASIC_AUTH_KEYS.username, value: databaseRole(service.name) }, { key: BASIC_AUTH_KEYS.password, env: 'PGPASSWORD', generate: 'credential-password' }] };
    case 'minio': {
      // The user-sync sidecar makes MinIO user `<service>` with this secret key and policy (generators/data/minio-users.ts).
      const client = store.clients.find((c) => c.service === service.name)!;
      return { source: own, keys: [
        { key: MINIO_USER_KEYS.accessKeyId, env: 'S3_ACCESS_KEY_ID', value: service.name },
        { key: MINIO_USER_KEYS.secretAccessKey, env: 'S3_SECRET_ACCESS_KEY', generate: 'secret-access-key' },
        { key: MINIO_USER_KEYS.policy, value: minioPolicy(client) },
      ] };
    }
    case 'redis': {
      // Its own ACL user (generators/data/redis-acl.ts): the server includes the `acl.conf` line of every client's Secret.
      const client = store.clients.find((c) => c.service === service.name)!;
      return { source: own, keys: [
        { key: REDIS_USER_KEYS.username, env: 'REDIS_USERNAME', value: redisUser(service.name) },
        { key: REDIS_USER_KEYS.password, env: 'REDIS_PASSWORD', generate: 'credential-password' },
        { key: REDIS_USER_KEYS.acl, value: redisAclLine(client) },
      ] };
    }
    case 'qdrant':
      return { source: access === 'read' ? readOnlyKeySecret(store) : serverSecret(store), keys: [{ key: QDRANT_API_KEY_KEY, env: 'QDRANT_API_KEY' }] };
    default:
      throw new Error(`no credential shape for datastore engine "${store.engine}"`);
  }
}

function serverSecret(store: LoadedDatastore): string {
  if (!store.chart) throw new Error(`datastore ${store.name} declares no chart credentials`);
  return store.chart.credentialsSecret;
}

export function datastoreCredentials(model: LoadedModel, service: LoadedService): DatastoreCredential[] {
  return service.datastores.map((use, i) => {
    const store = datastoreNamed(model, use.name);
    const { keys, source } = clientCredential(store, service, use.access);
    return {
      secret: clientSecret(service.name, use.name),
      engine: store.engine,
      namespace: store.namespace,
      consumerNamespace: service.namespace,
      source,
      keys,
      rotation: use.rotation,
      modelPath: `${service.modelPath}.datastores.${i}`,
    };
  });
}

/** The datastores' own generated credentials: each PostgreSQL cluster's migrator, each chart's server credential. */
function serverCredentials(model: LoadedModel): GeneratedSecret[] {
  const rotation = model.secrets.rotation;
  return model.datastores.flatMap((store): GeneratedSecret[] => {
    const base = { namespace: store.namespace, rotation };
    if (store.cluster) {
      return [{ ...base, secret: migratorSecret(store), rotationMode: 'live', cnpgRole: true, modelPath: `${store.modelPath}.cluster.migrator`,
        keys: [{ key: BASIC_AUTH_KEYS.username, value: store.cluster.migrator }, { key: BASIC_AUTH_KEYS.password, generate: 'credential-password' }] }];
    }
    if (!store.chart) return [];
    const server = { ...base, rotationMode: 'on-request' as const, cnpgRole: false, modelPath: `${store.modelPath}.chart.credentialsSecret` };
    switch (store.engine) {
      case 'redis':
        return [{ ...server, secret: serverSecret(store), keys: [{ key: REDIS_PASSWORD_KEY, generate: 'credential-password' }] }];
      case 'qdrant':
        return [serverSecret(store), readOnlyKeySecret(store)].map((secret) => ({ ...server, secret, keys: [{ key: QDRANT_API_KEY_KEY, generate: 'credential-password' as const }] }));
      case 'minio':
        return [{ ...server, secret: serverSecret(store), keys: [{ key: MINIO_ROOT_KEYS.user, value: MINIO_ROOT_USER }, { key: MINIO_ROOT_KEYS.password, generate: 'credential-password' }] }];
      default:
        throw new Error(`no server credential shape for datastore engine "${store.engine}"`);
    }
  });
}

/** Every Secret generated in the cluster: the services' own datastore credentials and the datastores' own. */
export function generatedSecrets(model: LoadedModel): GeneratedSecret[] {
  const own = model.services.flatMap((service) => datastoreCredentials(model, service)
    .filter((c) => c.source === c.secret)
    .map((c): GeneratedSecret => ({
      secret: c.secret, namespace: c.namespace, keys: c.keys, rotation: c.rotation, modelPath: c.modelPath,
      rotationMode: LIVE_ROTATION_ENGINES.has(c.engine) ? 'live' : 'on-request', cnpgRole: c.engine === 'postgresql',
    })));
  return [...own, ...serverCredentials(model)];
}

/** Secret-backed variables of a service's containers: Kafka password, datastore credentials, secretEnv. */
export function secretEnv(model: LoadedModel, service: LoadedService): Array<{ name: string; secret: string; key: string }> {
  const vars: Array<{ name: string; secret: string; key: string }> = [];
  if (service.kafka) vars.push({ name: 'KAFKA_PASSWORD', secret: service.kafka.user, key: USER_PASSWORD_KEY });
  for (const credential of datastoreCredentials(model, service)) {
    for (const k of credential.keys) if (k.env) vars.push({ name: k.env, secret: credential.secret, key: k.key });
  }
  for (const s of service.secretEnv) vars.push({ name: s.env, secret: s.secret, key: s.key });
  return vars;
}

/** A Secret whose value AWS Secrets Manager holds, at the model's path convention (model/secrets.ts). */
export interface StoredSecret {
  name: string;
  namespace: string;
  keys: string[];
  rotation: string;
  /** Who owns and rotates the value. */
  owner: string;
  modelPath: string;
}

export function storedSecrets(model: LoadedModel): StoredSecret[] {
  const out = new Map<string, StoredSecret>();
  const add = (s: StoredSecret) => {
    const id = `${s.namespace}/${s.name}`;
    const known = out.get(id);
    if (known) known.keys = [...new Set([...known.keys, ...s.keys])].sort();
    else out.set(id, { ...s, keys: [...s.keys].sort() });
  };
  for (const service of model.services) {
    service.secretEnv.forEach((s, i) =>
      add({ name: s.secret, namespace: service.namespace, keys: [s.key], rotation: s.rotation, owner: `the ${service.tenant} tenant`, modelPath: `${service.modelPath}.secretEnv.${i}` }));
  }
  // The S3 key pair of each PostgreSQL cluster's backup bucket: the bucket is AWS's, so is its IAM user's key.
  for (const store of model.datastores) {
    if (store.cluster) add({ name: store.cluster.backup.credentialsSecret, namespace: store.namespace, keys: [BACKUP_KEYS.accessKeyId, BACKUP_KEYS.secretAccessKey], rotation: model.secrets.rotation, owner: 'the platform team (the IAM user that writes the backup bucket)', modelPath: `${store.modelPath}.cluster.backup.credentialsSecret` });
  }
  // The monitoring stack's receivers, object store and Grafana login (generators/observability/stack/secrets.ts).
  stackSecrets(model).forEach(add);
  const kafka = model.environment.kafka;
  const link = mirrorLink(model);
  if (link) {
    const { alias } = link.remote;
    add({ name: `${mirrorUserName(kafka.clusterName)}-${alias}`, namespace: kafka.namespace, keys: [USER_PASSWORD_KEY], rotation: model.secrets.rotation, owner: `the remote Kafka cluster ${alias} (its KafkaUser)`, modelPath: link.modelPath });
    add({ name: clusterCaSecretName(alias), namespace: kafka.namespace, keys: [CLUSTER_CA_CERT_KEY], rotation: model.secrets.rotation, owner: `the remote Kafka cluster ${alias} (its cluster CA)`, modelPath: link.modelPath });
  }
  return [...out.values()].sort((a, b) => (`${a.namespace}/${a.name}` < `${b.namespace}/${b.name}` ? -1 : 1));
}

/** A Secret kept in sync in another namespace than the one it is made in. */
export interface SecretCopy {
  name: string;
  /** The Secret copied, in `from` (`name` unless the copy is renamed). */
  source: string;
  from: string;
  to: string;
  modelPath: string;
}

export function secretCopies(model: LoadedModel): SecretCopy[] {
  const copies: SecretCopy[] = model.services.flatMap((service) =>
    datastoreCredentials(model, service)
      .filter((c) => c.namespace !== c.consumerNamespace || c.source !== c.secret)
      .map((c) => ({ name: c.secret, source: c.source, from: c.namespace, to: c.consumerNamespace, modelPath: c.modelPath })));
  // The migration Job runs in the owner tenant's namespace as the migrator.
  for (const store of model.datastores) {
    const owner = store.cluster?.owner.namespace;
    if (owner && owner !== store.namespace) copies.push({ name: migratorSecret(store), source: migratorSecret(store), from: store.namespace, to: owner, modelPath: `${store.modelPath}.cluster.migrator` });
  }
  // MirrorMaker 2 runs in the Kafka namespace; Strimzi writes its user's Secret where the user operator watches.
  const kafka = model.environment.kafka;
  const userNamespace = kafkaUserNamespaces(model)[0];
  const link = mirrorLink(model);
  if (link && userNamespace && userNamespace !== kafka.namespace) {
    copies.push({ name: mirrorUserName(kafka.clusterName), source: mirrorUserName(kafka.clusterName), from: userNamespace, to: kafka.namespace, modelPath: link.modelPath });
  }
  return copies.sort((a, b) => (`${a.to}/${a.name}` < `${b.to}/${b.name}` ? -1 : 1));
}

/** Where a container reads a rotating credential from a mounted Secret, re-read without a restart. */
export interface PasswordFile {
  volume: string;
  secret: string;
  key: string;
  directory: string;
  /** `<VAR>_FILE`: the variable naming the file, after the variable that holds the same value. */
  env: string;
}

/**
 * Credential files of a service: the generated key of each of its credentials that rotate live. The
 * PostgreSQL pool reads PGPASSWORD_FILE per connection (apps/lib/postgres.ts), the Redis client
 * REDIS_PASSWORD_FILE before each reconnection (apps/lib/redis.ts), the object store S3_SECRET_ACCESS_KEY_FILE
 * when the server refuses the key it holds (apps/lib/object-store.ts).
 */
export function passwordFiles(model: LoadedModel, service: LoadedService): PasswordFile[] {
  return datastoreCredentials(model, service).flatMap((c) => {
    if (!LIVE_ROTATION_ENGINES.has(c.engine) || c.source !== c.secret) return [];
    return c.keys.filter((k) => k.generate && k.env).map((k) => ({
      volume: `${c.secret.slice(service.name.length + 1)}-credential`,
      secret: c.secret,
      key: k.key,
      directory: `/var/run/secrets/gamemetrics.dev/${c.secret}`,
      env: `${k.env}_FILE`,
    }));
  });
}
