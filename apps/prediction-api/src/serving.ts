/**
 * The model version this replica serves: re-read from the registry every MODEL_REFRESH_MS (and right after
 * a promotion through this replica). A version that fails its checks is refused once, logged and counted,
 * and the version already loaded stays in service.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { CircuitBreaker } from './circuit-breaker.ts';
import type { PredictionMetrics } from './metrics.ts';
import { loadVersion, ModelInvalidError, readCurrent, type LoadedVersion, type ModelStore } from '@gamemetrics/service-kit/model-registry.ts';

/** Manifest figures that are not about quality. */
const NOT_QUALITY = new Set(['seed']);

/** The manifest's numeric evaluation figures, names in snake_case (`baselineMse` → `baseline_mse`). */
export function qualityFigures(manifest: LoadedVersion['manifest']): Array<[string, number]> {
  return Object.entries(manifest.metrics ?? {})
    .filter(([name, value]) => !NOT_QUALITY.has(name) && typeof value === 'number' && Number.isFinite(value))
    .map(([name, value]) => [name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), value]);
}

export class ServedModel {
  current: LoadedVersion | undefined;
  /** The last version refused, so a bad pointer is not re-read on every poll. */
  refused: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly store: ModelStore;
  private readonly breaker: CircuitBreaker;
  private readonly metrics: PredictionMetrics;
  private readonly log: FastifyBaseLogger;

  constructor(store: ModelStore, breaker: CircuitBreaker, metrics: PredictionMetrics, log: FastifyBaseLogger) {
    this.store = store;
    this.breaker = breaker;
    this.metrics = metrics;
    this.log = log;
  }

  /** Loads what current.json names, if it is new; never throws (the loop must survive the store's outages). */
  async refresh(): Promise<void> {
    try {
      const pointer = await this.breaker.call(() => readCurrent(this.store));
      if (!pointer || pointer.version === this.current?.version || pointer.version === this.refused) return;
      this.use(await this.breaker.call(() => loadVersion(this.store, pointer.version)));
    } catch (e) {
      if (e instanceof ModelInvalidError) {
        this.refused = e.version;
        this.metrics.modelLoadFailures.inc({ version: e.version });
        this.log.error({ version: e.version, serving: this.current?.version ?? null }, `refused to load ${e.message}; keeping the version in service`);
      } else this.log.warn({ err: e }, 'cannot read the model registry; keeping the version in service');
    }
  }

  use(loaded: LoadedVersion): void {
    if (this.current) {
      this.metrics.modelVersion.remove({ version: this.current.version });
      this.metrics.modelCreated.remove({ version: this.current.version });
    }
    this.current = loaded;
    this.refused = undefined;
    this.metrics.modelVersion.set({ version: loaded.version }, 1);
    this.metrics.modelQuality.reset();
    for (const [metric, value] of qualityFigures(loaded.manifest)) this.metrics.modelQuality.set({ version: loaded.version, metric }, value);
    const created = Date.parse(loaded.manifest.createdAt);
    if (Number.isFinite(created)) this.metrics.modelCreated.set({ version: loaded.version }, created / 1000);
    this.log.info({ version: loaded.version }, 'serving model version');
  }

  start(intervalMs: number): void {
    const tick = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => void this.refresh().finally(tick), intervalMs);
      this.timer.unref();
    };
    void this.refresh().finally(tick);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
