/**
 * The sentiment model: a linear model over standardised features, squashed with tanh into a sentiment
 * score in [-1, 1] (negative: people in the region feel the climate is getting worse). The air-quality
 * part is the US EPA PM2.5 index (piecewise linear between breakpoints), which needs no learning.
 *
 * Format `geo-sentiment-linear/v1` (model.json), written by apps/model-training and checked here field by
 * field before a prediction-api replica serves it: a file that does not parse or check is refused.
 */

export const MODEL_FORMAT = 'geo-sentiment-linear/v1';
export const FEATURES = ['latitude', 'longitude', 'temperatureC', 'humidityPct', 'pm25', 'windSpeedMs'] as const;
export type Feature = (typeof FEATURES)[number];
export type PredictionInput = Record<Feature, number>;

export interface ModelFile {
  format: typeof MODEL_FORMAT;
  features: Feature[];
  mean: number[];
  std: number[];
  weights: number[];
  bias: number;
  /** Scores below `negative` are labelled negative, above `positive` positive. */
  thresholds: { negative: number; positive: number };
}

export interface Prediction {
  sentiment: { score: number; label: 'negative' | 'neutral' | 'positive' };
  airQuality: { aqi: number; category: string };
}

/** The problems of a parsed model.json (empty when it can be served). */
export function modelProblems(value: unknown): string[] {
  const m = value as Partial<ModelFile> | null;
  if (typeof m !== 'object' || m === null) return ['model.json is not a JSON object'];
  const problems: string[] = [];
  const finite = (x: unknown) => typeof x === 'number' && Number.isFinite(x);
  if (m.format !== MODEL_FORMAT) problems.push(`format is ${JSON.stringify(m.format)}, not ${MODEL_FORMAT}`);
  if (!Array.isArray(m.features) || m.features.join() !== FEATURES.join()) problems.push(`features must be exactly ${FEATURES.join(', ')}`);
  for (const key of ['mean', 'std', 'weights'] as const) {
    const list = m[key];
    if (!Array.isArray(list) || list.length !== FEATURES.length || !list.every(finite)) problems.push(`${key} must be ${FEATURES.length} finite numbers`);
  }
  if (Array.isArray(m.std) && m.std.some((s) => !(s > 0))) problems.push('std must be positive');
  if (!finite(m.bias)) problems.push('bias must be a finite number');
  if (!m.thresholds || !finite(m.thresholds.negative) || !finite(m.thresholds.positive) || m.thresholds.negative >= m.thresholds.positive)
    problems.push('thresholds must be numbers with negative < positive');
  return problems;
}

/** The raw sentiment score (before tanh) the model gives `input`. */
export function linearScore(model: ModelFile, input: PredictionInput): number {
  let z = model.bias;
  for (let i = 0; i < FEATURES.length; i++) z += model.weights[i] * ((input[FEATURES[i]] - model.mean[i]) / model.std[i]);
  return z;
}

// EPA PM2.5 breakpoints (µg/m³, 24-hour) and index ranges.
const AQI_BREAKPOINTS: Array<[number, number, number, number, string]> = [
  [0, 12, 0, 50, 'good'],
  [12.1, 35.4, 51, 100, 'moderate'],
  [35.5, 55.4, 101, 150, 'unhealthy-for-sensitive-groups'],
  [55.5, 150.4, 151, 200, 'unhealthy'],
  [150.5, 250.4, 201, 300, 'very-unhealthy'],
  [250.5, 500.4, 301, 500, 'hazardous'],
];

export function airQuality(pm25: number): Prediction['airQuality'] {
  const c = Math.floor(Math.max(0, pm25) * 10) / 10;
  for (const [lo, hi, ilo, ihi, category] of AQI_BREAKPOINTS)
    if (c <= hi) return { aqi: Math.round(((ihi - ilo) / (hi - lo)) * (Math.max(c, lo) - lo) + ilo), category };
  return { aqi: 500, category: 'hazardous' };
}

export function predict(model: ModelFile, input: PredictionInput): Prediction {
  const score = Math.tanh(linearScore(model, input));
  const label = score < model.thresholds.negative ? 'negative' : score > model.thresholds.positive ? 'positive' : 'neutral';
  return { sentiment: { score: Math.round(score * 1e4) / 1e4, label }, airQuality: airQuality(input.pm25) };
}

/** JSON schema of one prediction input (the routes validate bodies with it). */
export const inputSchema = {
  type: 'object',
  additionalProperties: false,
  required: [...FEATURES],
  properties: {
    latitude: { type: 'number', minimum: -90, maximum: 90 },
    longitude: { type: 'number', minimum: -180, maximum: 180 },
    temperatureC: { type: 'number', minimum: -90, maximum: 60 },
    humidityPct: { type: 'number', minimum: 0, maximum: 100 },
    pm25: { type: 'number', minimum: 0, maximum: 1000 },
    windSpeedMs: { type: 'number', minimum: 0, maximum: 120 },
  },
} as const;
