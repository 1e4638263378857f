// Where the services send their traces and which they keep: the OpenTelemetry Collector's OTLP/HTTP receiver
// and the environment's sampling policy, set in every service's ConfigMap (apps/lib/tracing.ts starts the SDK,
// which reads them), and the egress each service's NetworkPolicy needs. Nothing when the environment runs no collector.
import type { NetworkPolicyEgressRule } from 'kubernetes-types/networking/v1.js';
import type { LoadedModel } from '../../../model/loaded.ts';
import { OTEL_COLLECTOR_COMPONENT } from '../../../model/platform-components.ts';
import { namespacePeer, tcpPorts } from '../../core/network-policy.ts';
import { COLLECTOR_POD_LABELS, OTLP_HTTP_PORT, stackEndpoints } from '../stack/names.ts';

/** The variable the OpenTelemetry SDKs (and apps/lib/tracing.ts) read the exporter's endpoint from. */
export const OTLP_ENDPOINT_VAR = 'OTEL_EXPORTER_OTLP_ENDPOINT';

export function otlpEndpoint(model: LoadedModel): string | null {
  return model.components.some((c) => c.name === OTEL_COLLECTOR_COMPONENT) ? stackEndpoints(model).collectorOtlpHttp : null;
}

/** The OpenTelemetry SDK's sampler: follow the caller's decision, else keep a trace-id ratio of new traces. */
export const TRACE_SAMPLER = 'parentbased_traceidratio';

/** The variables of a service's ConfigMap that send its traces to the collector and sample them. */
export function tracingConfig(model: LoadedModel): Record<string, string> {
  const endpoint = otlpEndpoint(model);
  const monitoring = model.environment.monitoring;
  if (!endpoint || !monitoring) return {};
  return { [OTLP_ENDPOINT_VAR]: endpoint, OTEL_TRACES_SAMPLER: TRACE_SAMPLER, OTEL_TRACES_SAMPLER_ARG: String(monitoring.traceSamplePercent / 100) };
}

export function collectorEgress(model: LoadedModel): NetworkPolicyEgressRule[] {
  if (!otlpEndpoint(model)) return [];
  return [{ to: [namespacePeer(model.platform.monitoring.namespace, { ...COLLECTOR_POD_LABELS })], ports: tcpPorts([OTLP_HTTP_PORT]) }];
}
