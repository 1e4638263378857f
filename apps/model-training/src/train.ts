/**
 * Training of the Geo-Sentiment model (format in apps/prediction-api/src/model.ts) on data generated here
 * from a seeded generator: nothing is downloaded. The same seed gives the same data, the same model bytes
 * and so the same version (the first 12 hex digits of the model's SHA-256), which is what makes a second
 * run a no-op.
 */
import { createHash } from 'node:crypto';
import { FEATURES, linearScore, MODEL_FORMAT, predict, type ModelFile, type PredictionInput } from '@gamemetrics/service-kit/geo-model.ts';

export interface Sample {
  input: PredictionInput;
  /** Observed sentiment in (-1, 1). */
  score: number;
}

export interface Metrics {
  /** Mean squared error of the score on the holdout. */
  mse: number;
  /** Share of holdout samples whose label (negative/neutral/positive) is right. */
  accuracy: number;
  samples: number;
}

/** mulberry32: a small, fast, seeded PRNG. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Regional climate sentiment as the generator models it: worse with particulate pollution and heat away
 * from a comfortable 18 °C, a little better with wind (cleaner air) and near the coast-like mid-latitudes;
 * plus noise. Seeded, so tests and runs agree.
 */
export function generate(count: number, seed: number): Sample[] {
  const random = rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const samples: Sample[] = [];
  for (let i = 0; i < count; i++) {
    const input: PredictionInput = {
      latitude: -60 + random() * 130,
      longitude: -180 + random() * 360,
      temperatureC: -10 + random() * 50,
      humidityPct: random() * 100,
      pm25: Math.exp(random() * 5.5) - 1,
      windSpeedMs: random() * 20,
    };
    const z = 0.8 - 0.018 * input.pm25 - 0.06 * Math.abs(input.temperatureC - 18) + 0.05 * input.windSpeedMs - 0.004 * Math.abs(input.latitude - 35) - 0.003 * input.humidityPct + 0.25 * normal();
    samples.push({ input, score: Math.tanh(z) });
  }
  return samples;
}

/** Solve A x = b (Gaussian elimination with partial pivoting); A is small and well conditioned (ridge). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}

const round = (x: number) => Number(x.toPrecision(12));

/** Least squares (ridge 1e-3) of atanh(score) on the standardised features. */
export function fit(samples: Sample[]): ModelFile {
  const k = FEATURES.length;
  const mean = FEATURES.map((f) => samples.reduce((s, x) => s + x.input[f], 0) / samples.length);
  const std = FEATURES.map((f, i) => Math.sqrt(samples.reduce((s, x) => s + (x.input[f] - mean[i]) ** 2, 0) / samples.length) || 1);
  const ata = Array.from({ length: k + 1 }, () => new Array<number>(k + 1).fill(0));
  const atb = new Array<number>(k + 1).fill(0);
  for (const s of samples) {
    const row = [...FEATURES.map((f, i) => (s.input[f] - mean[i]) / std[i]), 1];
    const y = Math.atanh(Math.max(-0.999999, Math.min(0.999999, s.score)));
    for (let i = 0; i <= k; i++) {
      atb[i] += row[i] * y;
      for (let j = 0; j <= k; j++) ata[i][j] += row[i] * row[j];
    }
  }
  for (let i = 0; i < k; i++) ata[i][i] += 1e-3 * samples.length;
  const x = solve(ata, atb);
  return { format: MODEL_FORMAT, features: [...FEATURES], mean: mean.map(round), std: std.map(round), weights: x.slice(0, k).map(round), bias: round(x[k]), thresholds: { negative: -0.2, positive: 0.2 } };
}

const labelOf = (score: number, model: ModelFile) => (score < model.thresholds.negative ? 'negative' : score > model.thresholds.positive ? 'positive' : 'neutral');

export function evaluate(model: ModelFile, holdout: Sample[]): Metrics {
  let se = 0;
  let right = 0;
  for (const s of holdout) {
    const score = Math.tanh(linearScore(model, s.input));
    se += (score - s.score) ** 2;
    if (predict(model, s.input).sentiment.label === labelOf(s.score, model)) right++;
  }
  return { mse: round(se / holdout.length), accuracy: round(right / holdout.length), samples: holdout.length };
}

/** The model's bytes (stable key order) and its content-derived version. */
export function serialise(model: ModelFile): { body: string; version: string; sha256: string } {
  const body = `${JSON.stringify(model, null, 2)}\n`;
  const sha256 = createHash('sha256').update(body).digest('hex');
  return { body, version: `m-${sha256.slice(0, 12)}`, sha256 };
}

/** ISO-8601 week number of `date` as `YYYYWW`: the default seed, so one run per week makes one version. */
export function weekSeed(date: Date): number {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return d.getUTCFullYear() * 100 + week;
}
