/**
 * Geo-Sentiment model versions in object storage (prediction-api reads and promotes, model-training
 * publishes).
 *
 *     models/<version>/model.json      the model (geo-model.ts)
 *     models/<version>/manifest.json   { version, sha256 of model.json, metrics, createdAt }
 *     models/current.json              { version, promotedAt, promotedBy }: what every replica serves
 *
 * Each replica re-reads current.json every MODEL_REFRESH_MS and loads a new version only if its
 * model.json matches the manifest's digest and checks (geo-model.ts); otherwise it logs, counts the failure
 * and keeps serving the version it has. All reads go through the model store's circuit breaker.
 */
import { createHash } from 'node:crypto';
import { modelProblems, type ModelFile } from './geo-model.ts';

/** The part of service-kit's object store (apps/lib/object-store.ts) the registry needs. */
export interface ModelStore {
  get(key: string): Promise<Uint8Array | undefined>;
  put(key: string, body: Uint8Array | string, contentType?: string): Promise<void>;
  list(prefix?: string): Promise<Array<{ key: string; size: number }>>;
}

export interface Manifest {
  version: string;
  sha256: string;
  metrics: Record<string, number>;
  createdAt: string;
}

export interface CurrentPointer {
  version: string;
  promotedAt: string;
  promotedBy: string;
}

export interface LoadedVersion {
  version: string;
  model: ModelFile;
  manifest: Manifest;
}

export const modelKeys = {
  model: (version: string) => `models/${version}/model.json`,
  manifest: (version: string) => `models/${version}/manifest.json`,
  current: 'models/current.json',
};

export class ModelInvalidError extends Error {
  readonly version: string;
  constructor(version: string, message: string) {
    super(`model version ${version}: ${message}`);
    this.name = 'ModelInvalidError';
    this.version = version;
  }
}

const VERSION = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const isVersion = (v: string) => VERSION.test(v);

function json<T>(bytes: Uint8Array | undefined): T | undefined {
  return bytes === undefined ? undefined : (JSON.parse(Buffer.from(bytes).toString('utf8')) as T);
}

/** Read and check one version; throws ModelInvalidError for anything that must not be served. */
export async function loadVersion(store: ModelStore, version: string): Promise<LoadedVersion> {
  if (!isVersion(version)) throw new ModelInvalidError(version, 'is not a version name');
  const [manifestBytes, modelBytes] = await Promise.all([store.get(modelKeys.manifest(version)), store.get(modelKeys.model(version))]);
  if (manifestBytes === undefined || modelBytes === undefined) throw new ModelInvalidError(version, 'has no manifest.json or model.json');
  let manifest: Manifest;
  try {
    manifest = json<Manifest>(manifestBytes)!;
  } catch {
    throw new ModelInvalidError(version, 'manifest.json is not JSON');
  }
  const digest = createHash('sha256').update(modelBytes).digest('hex');
  if (manifest.sha256 !== digest) throw new ModelInvalidError(version, `model.json's sha256 ${digest.slice(0, 12)}… does not match the manifest's ${String(manifest.sha256).slice(0, 12)}…`);
  let model: unknown;
  try {
    model = json(modelBytes);
  } catch {
    throw new ModelInvalidError(version, 'model.json is not JSON');
  }
  const problems = modelProblems(model);
  if (problems.length > 0) throw new ModelInvalidError(version, problems.join('; '));
  return { version, model: model as ModelFile, manifest };
}

export async function readCurrent(store: ModelStore): Promise<CurrentPointer | undefined> {
  return json<CurrentPointer>(await store.get(modelKeys.current));
}

/** Every version with a manifest, newest first. */
export async function listVersions(store: ModelStore): Promise<Manifest[]> {
  const keys = (await store.list('models/')).map((o) => o.key).filter((k) => k.endsWith('/manifest.json'));
  const manifests = await Promise.all(
    keys.map(async (k) => {
      try {
        return json<Manifest>(await store.get(k));
      } catch {
        return undefined;
      }
    }),
  );
  return manifests.filter((m): m is Manifest => m !== undefined).sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.version < b.version ? 1 : -1));
}
