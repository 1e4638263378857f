// Every Secret a rendered object references that no operator creates, derived from the loaded model, with
// where its value comes from: generated in the cluster (datastore credentials) or read from AWS Secrets
// Manager (secretEnv, the image-signing key, the DR cluster's credentials and CA). Also the in-cluster copies
// of Secrets that their consumers need in another namespace. docs/secrets.md explains the choices.
import { databaseRole } from '../../model/load/datastores.ts';
import type { LoadedModel, LoadedService } from '../../model/loaded.ts';
import { COSIGN_KEY_SECRET } from '../../policy-tests/rules/platform/signed-images.ts';
import { datastoreNamed } from '../core/lookup.ts';
import { CLUSTER_CA_CERT_KEY, USER_PASSWORD_KEY, clusterCaSecretName, kafkaUserNamespaces } from '../kafka/common.ts';
import { mirrorUserName } from '../kafka/mirror.ts';
import { kyvernoNamespaceOf } from '../policies/kyverno-policies.ts';

/** Shapes of generated values, one External Secrets Password generator each (symbols left out: values go into URLs and AUTH commands). */
export const PASSWORD_PROFILES = {
  'credential-password': { length: 32, digits: 8, symbols: 0, noUpper: false, allowRepeat: true },
  'access-key-id': { length: 20, digits: 6, symbols: 0, noUpper: false, allowRepeat: true },
  'secret-access-key': { length: 40, digits: 10, symbols: 0, noUpper: false, allowRepeat: true },
} as const;
export type PasswordProfile = keyof typeof PASSWORD_PROFILES;

/** A key of a datastore credential: generated, or a fixed value (the user name), and the variable it feeds. */
interface CredentialKey {
  key: string;
  env: string;
  generate?: PasswordProfile;
  value?: string;
}

/** The keys of a service's credential for a datastore, by engine; `env` is the variable a key feeds. */
function credentialKeys(engine: string, service: LoadedService): CredentialKey[] {
  switch (engine) {
    case 'postgresql':
      return [{ key: 'username', env: 'PGUSER', value: databaseRole(service.name) }, { key: 'password', env: 'PGPASSWORD', generate: 'credential-password' }];
    case 'redis':
      return [{ key: 'username', env: 'REDIS_USERNAME', value: service.name }, { key: 'password', env: 'REDIS_PASSWORD', generate: 'credential-password' }];
    case 'minio':
      return [{ key: 'access-key-id', env: 'S3_ACCESS_KEY_ID', generate: 'access-key-id' }, { key: 'secret-access-key', env: 'S3_SECRET_ACCESS_KEY', generate: 'secret-access-key' }];
    case 'qdrant':
      return [{ key: 'api-key', env: 'QDRANT_API_KEY', generate: 'credential-password' }];
    default:
      throw new Error(`no credential shape for datastore engine "${engine}"`);
  }
}

/** A service's credential for one datastore: Secret `<service>-<datastore>`, generated in the datastore's namespace and copied to the service's. */
export interface DatastoreCredential {
  secret: string;
  engine: string;
  /** Where the datastore reads it (CloudNativePG managed roles, the cache's and stores' users). */
  namespace: string;
  /** Where the service reads it. */
  consumerNamespace: string;
  keys: CredentialKey[];
  rotation: string;
  modelPath: string;
}

export function datastoreCredentials(model: LoadedModel, service: LoadedService): DatastoreCredential[] {
  return service.datastores.map((use, i) => {
    const store = datastoreNamed(model, use.name);
    return {
      secret: `${service.name}-${use.name}`,
      engine: store.engine,
      namespace: store.namespace,
      consumerNamespace: service.namespace,
      keys: credentialKeys(store.engine, service),
      rotation: use.rotation,
      modelPath: `${service.modelPath}.datastores.${i}`,
    };
  });
}

/** Secret-backed variables of a service's containers: Kafka password, datastore credentials, secretEnv. */
export function secretEnv(model: LoadedModel, service: LoadedService): Array<{ name: string; secret: string; key: string }> {
  const vars: Array<{ name: string; secret: string; key: string }> = [];
  if (service.kafka) vars.push({ name: 'KAFKA_PASSWORD', secret: service.kafka.user, key: USER_PASSWORD_KEY });
  for (const credential of datastoreCredentials(model, service)) {
    // Fixed values (the user name) are plain configuration; only generated keys are Secret-backed variables.
    for (const k of credential.keys) if (k.generate) vars.push({ name: k.env, secret: credential.secret, key: k.key });
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
  add({ name: COSIGN_KEY_SECRET, namespace: kyvernoNamespaceOf(model), keys: ['cosign.pub'], rotation: model.secrets.rotation, owner: 'the release pipeline (its signing key pair)', modelPath: 'policies' });
  const kafka = model.environment.kafka;
  const dr = kafka.disasterRecovery;
  if (dr) {
    const source = 'environment.kafka.disasterRecovery';
    add({ name: `${mirrorUserName(kafka.clusterName)}-${dr.clusterAlias}`, namespace: kafka.namespace, keys: [USER_PASSWORD_KEY], rotation: model.secrets.rotation, owner: `the DR cluster ${dr.clusterAlias} (its KafkaUser)`, modelPath: source });
    add({ name: clusterCaSecretName(dr.clusterAlias), namespace: kafka.namespace, keys: [CLUSTER_CA_CERT_KEY], rotation: model.secrets.rotation, owner: `the DR cluster ${dr.clusterAlias} (its cluster CA)`, modelPath: source });
  }
  return [...out.values()].sort((a, b) => (`${a.namespace}/${a.name}` < `${b.namespace}/${b.name}` ? -1 : 1));
}

/** A Secret kept in sync in another namespace than the one it is made in. */
export interface SecretCopy {
  name: string;
  from: string;
  to: string;
  modelPath: string;
}

export function secretCopies(model: LoadedModel): SecretCopy[] {
  const copies: SecretCopy[] = model.services.flatMap((service) =>
    datastoreCredentials(model, service)
      .filter((c) => c.namespace !== c.consumerNamespace)
      .map((c) => ({ name: c.secret, from: c.namespace, to: c.consumerNamespace, modelPath: c.modelPath })));
  // MirrorMaker 2 runs in the Kafka namespace; Strimzi writes its user's Secret where the user operator watches.
  const kafka = model.environment.kafka;
  const userNamespace = kafkaUserNamespaces(model)[0];
  if (kafka.disasterRecovery && userNamespace && userNamespace !== kafka.namespace) {
    copies.push({ name: mirrorUserName(kafka.clusterName), from: userNamespace, to: kafka.namespace, modelPath: 'environment.kafka.disasterRecovery' });
  }
  return copies.sort((a, b) => (`${a.to}/${a.name}` < `${b.to}/${b.name}` ? -1 : 1));
}

/** Where a container reads a rotating password from a mounted Secret, re-read on every new connection. */
export interface PasswordFile {
  volume: string;
  secret: string;
  key: string;
  directory: string;
  /** `<VAR>_FILE`: the variable naming the file. */
  env: string;
}

/** Password files of a service: its PostgreSQL credentials (the pool reads PGPASSWORD_FILE per connection, apps/lib/postgres.ts). */
export function passwordFiles(model: LoadedModel, service: LoadedService): PasswordFile[] {
  return datastoreCredentials(model, service).flatMap((c) =>
    c.engine === 'postgresql'
      ? [{ volume: `${c.secret.slice(service.name.length + 1)}-credential`, secret: c.secret, key: 'password', directory: `/var/run/secrets/gamemetrics.dev/${c.secret}`, env: 'PGPASSWORD_FILE' }]
      : []);
}
