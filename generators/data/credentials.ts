// The credentials each datastore's server is configured with: which Secret and which keys. The Cluster
// (cluster.ts) and the chart values (charts.ts) read them; the secrets catalog (generators/secrets/catalog.ts)
// makes them and derives each client's credential from them, so a server and its clients cannot disagree.
import type { LoadedDatastore } from '../../model/loaded.ts';

/** Keys of a basic-auth Secret (CloudNativePG's initdb owner and managed roles). */
export const BASIC_AUTH_KEYS = { username: 'username', password: 'password' } as const;
/** Keys of the S3 key pair the WAL archive and base backups are written with. */
export const BACKUP_KEYS = { accessKeyId: 'access-key-id', secretAccessKey: 'secret-access-key' } as const;
/** Redis: the password of the default user, which only the server's own parts use (services have ACL users, redis-acl.ts). */
export const REDIS_PASSWORD_KEY = 'password';
/** Qdrant: the key of both API-key Secrets (full and read-only). */
export const QDRANT_API_KEY_KEY = 'api-key';
/** MinIO: the keys the chart reads from its `existingSecret`. */
export const MINIO_ROOT_KEYS = { user: 'rootUser', password: 'rootPassword' } as const;
/** MinIO: the keys of a client's own Secret: its user's access key, secret key and policy (minio-users.ts). */
export const MINIO_USER_KEYS = { accessKeyId: 'access-key-id', secretAccessKey: 'secret-access-key', policy: 'policy' } as const;
/** MinIO's root user name (the password is generated). */
export const MINIO_ROOT_USER = 'gamemetrics-root';

/** Secret (basic-auth) of the migrator role, in the datastore's namespace and in the owner tenant's. */
export function migratorSecret(store: LoadedDatastore): string {
  return `${store.name}-migrator`;
}

/** Secret of a client's own credential for a datastore (PostgreSQL role, MinIO user, or the copy of a shared key). */
export function clientSecret(service: string, store: string): string {
  return `${service}-${store}`;
}

/** Qdrant: the Secret of the read-only API key (`service.read_only_api_key`), next to the full key's. */
export function readOnlyKeySecret(store: LoadedDatastore): string {
  return `${store.chart!.credentialsSecret}-read-only`;
}
