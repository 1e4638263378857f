/** prediction-api's own series, next to service-kit's HTTP ones, in the same registry. */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface PredictionMetrics {
  predictions: Counter<'model_version' | 'endpoint'>;
  modelLatency: Histogram<'endpoint'>;
  modelVersion: Gauge<'version'>;
  modelLoadFailures: Counter<'version'>;
  promotions: Counter<'version'>;
  rateLimitDecisions: Counter<'tier' | 'verdict'>;
  rateLimitBackendFailures: Counter<'mode'>;
  breakerState: Gauge<'dependency'>;
  authFailures: Counter<'code'>;
  activeUsers: Gauge<'window'>;
  modelQuality: Gauge<'version' | 'metric'>;
  modelCreated: Gauge<'version'>;
  sentimentScore: Histogram<'model_version'>;
  predictionLabels: Counter<'model_version' | 'label'>;
  passwordResets: Counter<'outcome'>;
}

/** `countActiveUsers`: today's distinct accounts (shared by the replicas), read at each scrape; null keeps the last value. */
export function createPredictionMetrics(registry: Registry, countActiveUsers?: () => Promise<number | null>): PredictionMetrics {
  const registers = [registry];
  return {
    predictions: new Counter({ name: 'predictions_total', help: 'Predictions served (batch items each count)', labelNames: ['model_version', 'endpoint'], registers }),
    modelLatency: new Histogram({
      name: 'prediction_model_duration_seconds',
      help: 'Time in the model per request (all items of a batch)',
      labelNames: ['endpoint'],
      buckets: [0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05],
      registers,
    }),
    modelVersion: new Gauge({ name: 'prediction_model_version_info', help: '1 for the model version this replica serves', labelNames: ['version'], registers }),
    modelLoadFailures: new Counter({ name: 'prediction_model_load_failures_total', help: 'Model versions refused (corrupt, unreadable, failing checks)', labelNames: ['version'], registers }),
    promotions: new Counter({ name: 'prediction_model_promotions_total', help: 'Model versions promoted through this replica', labelNames: ['version'], registers }),
    rateLimitDecisions: new Counter({ name: 'rate_limit_decisions_total', help: 'Rate-limit decisions (verdict=allowed|rate|daily|endpoint|unlimited)', labelNames: ['tier', 'verdict'], registers }),
    rateLimitBackendFailures: new Counter({ name: 'rate_limit_backend_failures_total', help: 'Requests decided without Redis (mode=open served, mode=closed refused)', labelNames: ['mode'], registers }),
    breakerState: new Gauge({ name: 'circuit_breaker_state', help: 'Circuit breaker state: 0 closed, 1 half-open, 2 open', labelNames: ['dependency'], registers }),
    authFailures: new Counter({ name: 'auth_failures_total', help: 'Refused authentications and authorisations by error code', labelNames: ['code'], registers }),
    modelQuality: new Gauge({
      name: 'prediction_model_quality',
      help: "The served model version's evaluation on its holdout, from its manifest (metric=mse|accuracy|baseline_mse|baseline_accuracy|improves_on_baseline|holdout_samples|training_samples)",
      labelNames: ['version', 'metric'],
      registers,
    }),
    modelCreated: new Gauge({ name: 'prediction_model_created_timestamp_seconds', help: 'When the served model version was trained (its manifest createdAt)', labelNames: ['version'], registers }),
    sentimentScore: new Histogram({
      name: 'prediction_sentiment_score',
      help: 'Sentiment scores served, per model version (batch items each count): the output distribution, to watch for drift',
      labelNames: ['model_version'],
      buckets: [-0.8, -0.6, -0.4, -0.2, 0, 0.2, 0.4, 0.6, 0.8, 1],
      registers,
    }),
    predictionLabels: new Counter({ name: 'prediction_labels_total', help: 'Predictions served per sentiment label and model version', labelNames: ['model_version', 'label'], registers }),
    passwordResets: new Counter({
      name: 'password_reset_requests_total',
      help: 'Password-reset requests by outcome: sent, unknown (no account has the address), throttled, delivery_failed, error',
      labelNames: ['outcome'],
      registers,
    }),
    activeUsers: new Gauge({
      name: 'prediction_active_users',
      help: 'Distinct accounts that made an authenticated request (window=day: the current UTC day), over all replicas',
      labelNames: ['window'],
      registers,
      async collect() {
        const count = await countActiveUsers?.();
        if (count !== null && count !== undefined) this.set({ window: 'day' }, count);
      },
    }),
  };
}
