// Grafana's dashboards as ConfigMaps in the monitoring namespace, labelled for the Grafana sidecar. The JSON is
// built by build.ts with @grafana/grafana-foundation-sdk in its own step (`npm run dashboards`), because the SDK
// costs more to load than a whole render; the render only wraps dashboards.json, filed by the digest of the
// model facts they use (inputs.ts), so a model whose dashboards are not built fails loudly.
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import { OBSERVABILITY_COMPONENT } from '../../../model/platform-components.ts';
import { platformLabels } from '../../core/labels.ts';
import { typedObject } from '../../core/typed-object.ts';
import type { Generator } from '../../core/types.ts';
import { DASHBOARD_LABEL, monitoringInstalled } from '../stack/names.ts';
import built from './dashboards.json' with { type: 'json' };
import { dashboardsKey } from './inputs.ts';

/** Where `npm run dashboards` writes the built dashboards (relative to this folder). */
export const DASHBOARDS_FILE = 'dashboards.json';

export const dashboardConfigMaps: Generator = ({ model }) => {
  if (!monitoringInstalled(model)) return [];
  const namespace = model.platform.monitoring.namespace;
  const dashboards = (built as Record<string, Record<string, unknown>>)[dashboardsKey(model)];
  if (!dashboards) throw new Error(`the dashboards of this model (its SLOs or Kafka namespace changed) are not built: run npm run dashboards, then npm run render`);
  return Object.entries(dashboards).map(([uid, dashboard]) => ({
    path: `platform/${OBSERVABILITY_COMPONENT}/${namespace}/configmap-dashboard-${uid}.yaml`,
    source: 'generators/observability/dashboards/build.ts',
    object: typedObject<ConfigMap>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `dashboard-${uid}`, namespace, labels: { ...platformLabels(model, OBSERVABILITY_COMPONENT), ...DASHBOARD_LABEL } },
      data: { [`${uid}.json`]: JSON.stringify(dashboard) },
    }),
  }));
};
