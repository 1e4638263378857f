/**
 * The trace-sampling policy as rendered: prod's ConfigMaps set OTEL_TRACES_SAMPLER=parentbased_traceidratio and
 * OTEL_TRACES_SAMPLER_ARG (model: `monitoring.traceSamplePercent`). With exactly those variables, the SDK that
 * apps/lib/tracing.ts starts keeps about that share of new traces, every trace a caller sampled, and none that a
 * caller dropped; what it keeps reaches a real OTLP/HTTP receiver.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { parse } from 'yaml';
import { baseSchema, type BaseConfig, loadConfig } from '../config.ts';
import { startTracing } from '../tracing.ts';
import { type OtlpReceiver, startOtlpReceiver } from '../../test/otlp-receiver.ts';

const rendered = join(import.meta.dirname, '../../../rendered/prod/tenants/gamemetrics/gamemetrics/configmap-event-ingestion-config.yaml');
const data = (parse(readFileSync(rendered, 'utf8')) as { data: Record<string, string> }).data;

/** Start tracing with the sampler variables set as the pod's environment sets them (the SDK reads them at start). */
function tracingWith(service: string, endpoint: string, variables: Record<string, string>) {
  const saved = { ...process.env };
  Object.assign(process.env, variables);
  try {
    return startTracing(service, endpoint);
  } finally {
    for (const key of Object.keys(variables)) if (saved[key] === undefined) delete process.env[key];
  }
}

describe('trace sampling as rendered for prod', () => {
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(() => receiver.stop());

  test('the rendered policy is parent-based with a ratio the service accepts', () => {
    assert.equal(data.OTEL_TRACES_SAMPLER, 'parentbased_traceidratio');
    assert.equal(data.OTEL_TRACES_SAMPLER_ARG, '0.1');
    const config = loadConfig<BaseConfig>('event-ingestion', baseSchema, { SERVICE_NAME: 'event-ingestion', TENANT: 'gamemetrics', ENVIRONMENT: 'prod', NAMESPACE: 'gamemetrics', PORT: '8080', OTEL_TRACES_SAMPLER: data.OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG: data.OTEL_TRACES_SAMPLER_ARG });
    assert.equal(config.OTEL_TRACES_SAMPLER_ARG, 0.1);
    assert.throws(() => loadConfig<BaseConfig>('event-ingestion', baseSchema, { SERVICE_NAME: 'e', TENANT: 't', ENVIRONMENT: 'prod', NAMESPACE: 'n', PORT: '1', OTEL_TRACES_SAMPLER: 'parentbased_ratio', OTEL_TRACES_SAMPLER_ARG: '1.5' }), /OTEL_TRACES_SAMPLER.*OTEL_TRACES_SAMPLER_ARG|OTEL_TRACES_SAMPLER_ARG.*OTEL_TRACES_SAMPLER/s);
  });

  test('about one new trace in ten is kept; a caller\'s decision is followed either way', async () => {
    const tracing = tracingWith('sampling-prod', receiver.url, { OTEL_TRACES_SAMPLER: data.OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG: data.OTEL_TRACES_SAMPLER_ARG });
    const roots = 1000;
    for (let i = 0; i < roots; i++) tracing.tracer.startSpan('new-trace').end();
    const caller = (flags: number, id: string) => trace.setSpanContext(context.active(), { traceId: id.repeat(32), spanId: 'b'.repeat(16), traceFlags: flags, isRemote: true });
    for (let i = 0; i < 20; i++) tracing.tracer.startSpan('caller-sampled', {}, caller(TraceFlags.SAMPLED, 'c')).end();
    for (let i = 0; i < 20; i++) tracing.tracer.startSpan('caller-dropped', {}, caller(TraceFlags.NONE, 'd')).end();
    await tracing.shutdown();
    const count = (name: string) => receiver.spans.filter((s) => s.service === 'sampling-prod' && s.name === name).length;
    const kept = count('new-trace');
    // Binomial(1000, 0.1): mean 100, standard deviation 9.5; the bounds are more than six deviations away.
    assert.ok(kept >= 40 && kept <= 160, `${kept} of ${roots} new traces kept`);
    assert.equal(count('caller-sampled'), 20);
    assert.equal(count('caller-dropped'), 0);
  });

  test('dev and staging keep every trace (the default)', async () => {
    const dev = (parse(readFileSync(rendered.replace('/prod/', '/dev/'), 'utf8')) as { data: Record<string, string> }).data;
    assert.equal(dev.OTEL_TRACES_SAMPLER_ARG, '1');
    const tracing = tracingWith('sampling-dev', receiver.url, { OTEL_TRACES_SAMPLER: dev.OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG: dev.OTEL_TRACES_SAMPLER_ARG });
    for (let i = 0; i < 50; i++) tracing.tracer.startSpan('new-trace').end();
    await tracing.shutdown();
    assert.equal(receiver.spans.filter((s) => s.service === 'sampling-dev').length, 50);
  });
});
