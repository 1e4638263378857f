/**
 * Where Prometheus runs and how Alertmanager routes alerts (model/spec.ts `MonitoringSpec`). The sizes of the
 * stack are per environment (`monitoring` in environments/<env>/index.ts); the tenants' owners, who are paged
 * and told about their own alerts, are in their files under tenants/.
 */
import type { MonitoringSpec } from './spec.ts';

export const monitoring: MonitoringSpec = {
  namespace: 'monitoring',
  // The Prometheus pods kube-prometheus-stack's operator creates carry this label.
  podSelector: { 'app.kubernetes.io/name': 'prometheus' },
  // The platform team's on-call rota is in Opsgenie: its critical alerts open an Opsgenie alert as well as the page.
  platformOwners: [{ team: 'platform', email: 'platform@gamemetrics.dev', slack: '#platform-alerts', opsgenie: 'platform-oncall' }],
  alerting: {
    groupBy: ['alertname', 'tenant', 'namespace'],
    groupWait: '30s',
    groupInterval: '5m',
    repeatInterval: '4h',
    defaultSlackChannel: '#alerts',
    inhibitions: [
      {
        source: 'KafkaBrokerDown',
        targets: ['KafkaConsumerLagHigh'],
        // One Kafka cluster per environment, and the lag alert belongs to the consuming tenant: no label to share.
        equal: [],
        reason: 'Consumers lag while a broker is down: page on the broker, not on every consumer group.',
      },
    ],
  },
};
