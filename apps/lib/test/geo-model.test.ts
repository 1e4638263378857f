/** The Geo-Sentiment model's checks (each with a passing and a failing case) and its air-quality index. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { airQuality, FEATURES, MODEL_FORMAT, modelProblems, predict, type ModelFile } from '../geo-model.ts';

const good: ModelFile = {
  format: MODEL_FORMAT,
  features: [...FEATURES],
  mean: [0, 0, 15, 50, 20, 5],
  std: [30, 100, 10, 25, 30, 4],
  weights: [0, 0, -0.3, -0.1, -0.8, 0.2],
  bias: 0.5,
  thresholds: { negative: -0.2, positive: 0.2 },
};

describe('geo-model', () => {
  test('a well-formed model has no problems and predicts within [-1, 1]', () => {
    assert.deepEqual(modelProblems(good), []);
    const p = predict(good, { latitude: 1, longitude: 2, temperatureC: 20, humidityPct: 50, pm25: 300, windSpeedMs: 1 });
    assert.ok(p.sentiment.score >= -1 && p.sentiment.score <= 1);
    assert.equal(p.sentiment.label, 'negative');
  });

  const broken: Array<[string, unknown, string]> = [
    ['not an object', 'model', 'model.json is not a JSON object'],
    ['another format', { ...good, format: 'v0' }, 'format is "v0", not geo-sentiment-linear/v1'],
    ['features reordered', { ...good, features: [...FEATURES].reverse() }, `features must be exactly ${FEATURES.join(', ')}`],
    ['a weight missing', { ...good, weights: good.weights.slice(1) }, 'weights must be 6 finite numbers'],
    ['a non-finite mean', { ...good, mean: [...good.mean.slice(1), null] }, 'mean must be 6 finite numbers'],
    ['a zero deviation', { ...good, std: [0, 1, 1, 1, 1, 1] }, 'std must be positive'],
    ['no bias', { ...good, bias: 'x' }, 'bias must be a finite number'],
    ['thresholds crossed', { ...good, thresholds: { negative: 0.3, positive: 0.2 } }, 'thresholds must be numbers with negative < positive'],
  ];
  for (const [name, model, problem] of broken) test(`refused: ${name}`, () => assert.deepEqual(modelProblems(model), [problem]));

  test('the EPA PM2.5 index at its breakpoints', () => {
    assert.deepEqual([0, 12, 12.1, 35.4, 55.5, 150.4, 250.5, 500.4, 900].map((c) => airQuality(c).aqi), [0, 50, 51, 100, 151, 200, 301, 500, 500]);
    assert.equal(airQuality(40).category, 'unhealthy-for-sensitive-groups');
  });
});
