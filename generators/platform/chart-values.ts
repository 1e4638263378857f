// Helm values of chart components: the values declared in model/components.ts, merged with those that
// come from the model's other parts (the environment's backup bucket and IAM role, the ingress gateway).
import type { LoadedComponent, LoadedModel } from '../../model/loaded.ts';
import { INGRESS_GATEWAY_COMPONENT, ISTIOD_COMPONENT, PROMETHEUS_ADAPTER_COMPONENT, VELERO_COMPONENT } from '../../model/platform-components.ts';
import { stackChartValues } from '../observability/stack/values.ts';
import { VOLUME_SNAPSHOT_LOCATION } from './backups.ts';
import { adapterValues } from './prometheus-adapter.ts';

/** The IRSA annotation that binds a service account to an IAM role. */
export const IRSA_ROLE_ANNOTATION = 'eks.amazonaws.com/role-arn';

type Values = Record<string, unknown>;

function derivedValues(model: LoadedModel, component: LoadedComponent): Values {
  const gateway = model.platform.ingressGateway;
  switch (component.name) {
    case VELERO_COMPONENT: {
      const backups = model.environment.backups;
      return {
        serviceAccount: { server: { annotations: { [IRSA_ROLE_ANNOTATION]: backups.roleArn } } },
        // EBS snapshots of the volumes, in the cluster's region, through the AWS plugin.
        configuration: { volumeSnapshotLocation: [{ name: VOLUME_SNAPSHOT_LOCATION, provider: 'aws', config: { region: backups.region } }] },
      };
    }
    case ISTIOD_COMPONENT: {
      const selector = gateway.podSelector.istio;
      if (!selector) throw new Error(`ingressGateway.podSelector has no "istio" label: istiod finds the gateway that serves Ingresses by it`);
      // Kubernetes Ingress support: only Ingresses of this class (STRICT), served by the gateway's Service and pods.
      return { meshConfig: { ingressClass: gateway.ingressClassName, ingressControllerMode: 'STRICT', ingressService: INGRESS_GATEWAY_COMPONENT, ingressSelector: selector } };
    }
    case PROMETHEUS_ADAPTER_COMPONENT:
      return adapterValues(model);
    case INGRESS_GATEWAY_COMPONENT:
      // The chart labels (and selects) its pods with these: the same labels the services' NetworkPolicies admit.
      return { labels: { ...gateway.podSelector } };
    default:
      return stackChartValues(model, component) ?? {};
  }
}

function merge(base: Values, over: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    const bothObjects = [current, value].every((v) => v !== null && typeof v === 'object' && !Array.isArray(v));
    out[key] = bothObjects ? merge(current as Values, value as Values) : value;
  }
  return out;
}

/** The Helm values of a chart component, or null when it sets none. */
export function chartValues(model: LoadedModel, component: LoadedComponent): Values | null {
  const values = merge(structuredClone(component.chart?.values ?? {}) as Values, derivedValues(model, component));
  return Object.keys(values).length > 0 ? values : null;
}
