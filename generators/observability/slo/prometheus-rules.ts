// A PrometheusRule per service with SLOs, in the monitoring namespace, labelled for the Prometheus
// that kube-prometheus-stack runs (its ruleSelector): one rule group per SLO (rules.ts).
import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { SLO_RULES_COMPONENT } from '../../../model/platform-components.ts';
import { platformLabels } from '../../core/labels.ts';
import { customObject } from '../../core/plain-object.ts';
import type { Generator } from '../../core/types.ts';
import { MONITOR_SELECTOR_LABELS, monitoringInstalled } from '../stack/names.ts';
import { sloRuleGroup } from './rules.ts';

export const sloPrometheusRules: Generator = ({ model }) => {
  // Without the monitoring stack's CRDs (a model that installs none) there is nothing to hold the rules.
  if (!monitoringInstalled(model)) return [];
  const namespace = model.platform.monitoring.namespace;
  return model.services.filter((s) => s.slos.length > 0).map((service) => {
    const name = `slo-${service.name}`;
    return {
      path: `platform/${SLO_RULES_COMPONENT}/${namespace}/prometheusrule-${name}.yaml`,
      source: `${service.modelPath}.slos`,
      object: customObject<IPrometheusRule>({
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: { name, namespace, labels: { ...platformLabels(model, SLO_RULES_COMPONENT), ...MONITOR_SELECTOR_LABELS } },
        spec: { groups: service.slos.map((slo) => sloRuleGroup(model, service, slo)) },
      }),
    };
  });
};
