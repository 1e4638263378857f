/**
 * One training run: generate data from the seed, fit, evaluate the new model and the version in service
 * on the same holdout, and publish `models/<version>/model.json` then `manifest.json` (the manifest last:
 * a version is listed only once it is whole). A version already published is left alone, so running twice
 * changes nothing. Publishing never promotes: promotion is an audited call to prediction-api.
 */
import { loadVersion, modelKeys, readCurrent, type Manifest, type ModelStore } from '@gamemetrics/service-kit/model-registry.ts';
import { evaluate, fit, generate, serialise } from './train.ts';

export interface RunResult {
  version: string;
  published: boolean;
  metrics: Manifest['metrics'];
  /** The version in service when the run evaluated against it, with its metrics on the same holdout. */
  baseline: { version: string; mse: number; accuracy: number } | null;
}

export async function trainAndPublish(store: ModelStore, opts: { seed: number; samples: number; now: Date }): Promise<RunResult> {
  const data = generate(opts.samples, opts.seed);
  const cut = Math.floor(data.length * 0.8);
  const model = fit(data.slice(0, cut));
  const holdout = data.slice(cut);
  const { body, version, sha256 } = serialise(model);
  const existing = await store.get(modelKeys.manifest(version));
  if (existing) {
    const manifest = JSON.parse(Buffer.from(existing).toString('utf8')) as Manifest;
    return { version, published: false, metrics: manifest.metrics, baseline: null };
  }
  const scores = evaluate(model, holdout);
  let baseline: RunResult['baseline'] = null;
  const current = await readCurrent(store);
  if (current) {
    try {
      const served = await loadVersion(store, current.version);
      const m = evaluate(served.model, holdout);
      baseline = { version: current.version, mse: m.mse, accuracy: m.accuracy };
    } catch {
      baseline = null;
    }
  }
  const metrics: Manifest['metrics'] = { mse: scores.mse, accuracy: scores.accuracy, holdoutSamples: scores.samples, trainingSamples: cut, seed: opts.seed };
  if (baseline) Object.assign(metrics, { baselineMse: baseline.mse, baselineAccuracy: baseline.accuracy, improvesOnBaseline: scores.mse < baseline.mse ? 1 : 0 });
  const manifest: Manifest & { baselineVersion: string | null } = { version, sha256, metrics, createdAt: opts.now.toISOString(), baselineVersion: baseline?.version ?? null };
  await store.put(modelKeys.model(version), body, 'application/json');
  await store.put(modelKeys.manifest(version), `${JSON.stringify(manifest, null, 2)}\n`, 'application/json');
  return { version, published: true, metrics, baseline };
}
