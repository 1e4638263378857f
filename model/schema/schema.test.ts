// The committed schema is the one model/spec.ts generates; the generator's mappings; every value check passes and fails.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { cronProblem, valueChecks } from './formats.ts';
import { generateSchema, schemaText } from './generate.ts';
import { SCHEMA_FILE } from './schema-file.ts';

const repo = join(import.meta.dirname, '..', '..');

describe('model/schema/model.schema.json', () => {
  const schema = generateSchema(repo) as { $defs: Record<string, Record<string, unknown>> };

  test('is what model/spec.ts generates (else run npm run schema and commit the result)', () => {
    const committed = readFileSync(join(repo, SCHEMA_FILE), 'utf8');
    assert.ok(committed === schemaText(schema), `${SCHEMA_FILE} is stale: model/spec.ts changed since it was generated. Run npm run schema and commit the result.`);
  });

  test('maps interfaces, unions, template literals, formats and names', () => {
    const defs = schema.$defs;
    const service = defs.ServiceSpec as { properties: Record<string, Record<string, unknown>>; required: string[]; additionalProperties: boolean };
    assert.equal(service.additionalProperties, false);
    assert.deepEqual(service.required, ['description', 'kind', 'image']);
    assert.deepEqual(defs.ServiceKind.enum, ['http-api', 'kafka-worker', 'cron-job', 'web-frontend']);
    assert.deepEqual(service.properties.schedule.$ref, '#/$defs/CronSchedule');
    assert.equal(defs.CronSchedule.format, 'cron');
    assert.equal(defs.ImageDigest.pattern, '^sha256:.*$');
    assert.match('500m', new RegExp(defs.CpuQuantity.pattern as string));
    assert.match('2', new RegExp(defs.CpuQuantity.pattern as string));
    assert.doesNotMatch('2 cores', new RegExp(defs.CpuQuantity.pattern as string));
    assert.deepEqual(service.properties.produces, { description: 'Topics this service writes to.', type: 'array', items: { type: 'string' } }, 'names are strings: the loader checks them');
    assert.equal((defs.ScalingSpec.anyOf as unknown[]).length, 2);
    assert.match(String((defs.TopicSpec as { properties: Record<string, { description: string }> }).properties.retention.description), /Default: '7d'\./);
  });
});

describe('value checks', () => {
  const cases: Array<[string, unknown, unknown]> = [
    ['cpu', '500m', '2 cores'],
    ['memory', '512Mi', '512MB'],
    ['duration', '7d', '1.5d'],
    ['date', '2026-02-28', '2026-02-30'],
    ['digest', `sha256:${'a'.repeat(64)}`, 'sha256:abc'],
    ['kubernetes-version', '1.34', '1.x'],
    ['cron', '*/15 0-6,22 * JAN-MAR mon-fri', '0 27 * * *'],
    ['dns-label', 'geo-climate', 'Geo_Climate'],
    ['port-name', 'metrics', 'metrics-endpoint-x'],
    ['env-var', 'MAX_BATCH', 'max-batch'],
    ['percentage', 100, 170],
    ['positive-integer', 1, 0],
    ['non-negative-integer', 0, 1.5],
    ['integer', -3, 0.5],
    ['port', 65535, 70000],
    ['iam-role-arn', 'arn:aws:iam::123456789012:role/platform/gm-prod-eso', 'arn:aws:iam::1234:user/eso'],
    ['metric-name', 'kafka_consumergroup_lag', 'kafka-consumergroup-lag'],
  ];
  test('every format has a passing and a failing case', () => {
    assert.deepEqual(cases.map(([name]) => name).sort(), Object.keys(valueChecks).sort());
  });
  for (const [name, good, bad] of cases) {
    test(name, () => {
      assert.equal(valueChecks[name].problem(good as never), undefined);
      assert.ok(valueChecks[name].problem(bad as never), `${JSON.stringify(bad)} should fail ${name}`);
    });
  }
  test('dates: a month or day out of range is not a date (and does not throw)', () => {
    assert.equal(valueChecks.date.problem('2026-13-01' as never), '"2026-13-01" is not a date');
    assert.equal(valueChecks.date.problem('2026-02-29' as never), '"2026-02-29" is not a date');
  });
  test('cron schedules: field count, ranges, steps, names, macros', () => {
    assert.equal(cronProblem('0 27 * * *'), '"0 27 * * *": hour 27 is outside 0–23');
    assert.equal(cronProblem('0 3 * *'), '"0 3 * *" has 4 fields, not five');
    assert.equal(cronProblem('0 3 32 * *'), '"0 3 32 * *": day of month 32 is outside 1–31');
    assert.equal(cronProblem('*/0 * * * *'), '"*/0 * * * *": the step in minute field "*/0" must be at least 1');
    assert.equal(cronProblem('0 3 * * FOO'), '"0 3 * * FOO": day of week "FOO" is not a number');
    assert.equal(cronProblem('0 5-2 * * *'), '"0 5-2 * * *": hour range 5-2 runs backwards');
    assert.equal(cronProblem('@daily'), undefined);
    assert.equal(cronProblem('0 2 * * 0'), undefined);
  });
});
