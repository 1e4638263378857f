// The alert catalog as PrometheusRules, one per rule group, in the monitoring namespace with the label the
// Prometheus of kube-prometheus-stack selects rules by (`release: <its Helm release>`). Rendered only where a
// component installs the Prometheus operator's CRDs.
import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ALERT_RULES_COMPONENT, MONITORING_CRD_GROUP } from '../../../model/platform-components.ts';
import { platformLabels } from '../../core/labels.ts';
import { customObject } from '../../core/plain-object.ts';
import type { Generator, OutputFile } from '../../core/types.ts';
import { MONITOR_SELECTOR_LABELS, monitoringInstalled } from '../stack/names.ts';
import { alertCatalog } from './catalog.ts';

/** Name prefix of the catalog's PrometheusRules. */
export const CATALOG_RULE_PREFIX = 'platform-alerts-';

export const alertRules: Generator = ({ model }) => {
  if (!monitoringInstalled(model)) return [];
  const namespace = model.platform.monitoring.namespace;
  const labels = { ...platformLabels(model, ALERT_RULES_COMPONENT), ...MONITOR_SELECTOR_LABELS };
  return alertCatalog(model).map((group): OutputFile => {
    const name = `${CATALOG_RULE_PREFIX}${group.name}`;
    return {
      path: `platform/${ALERT_RULES_COMPONENT}/${namespace}/prometheusrule-${name}.yaml`,
      source: 'observability',
      object: customObject<IPrometheusRule>({
        apiVersion: `${MONITORING_CRD_GROUP}/v1`,
        kind: 'PrometheusRule',
        metadata: { name, namespace, labels },
        spec: { groups: [group] },
      }),
    };
  });
};
