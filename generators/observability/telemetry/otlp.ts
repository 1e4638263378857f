// Where the services send their traces: the OpenTelemetry Collector's OTLP/HTTP receiver, set as
// OTEL_EXPORTER_OTLP_ENDPOINT in every service's ConfigMap (apps/lib/tracing.ts reads it), and the egress
// each service's NetworkPolicy needs to reach it. Nothing when the environment runs no collector.
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

export function collectorEgress(model: LoadedModel): NetworkPolicyEgressRule[] {
  if (!otlpEndpoint(model)) return [];
  return [{ to: [namespacePeer(model.platform.monitoring.namespace, { ...COLLECTOR_POD_LABELS })], ports: tcpPorts([OTLP_HTTP_PORT]) }];
}
