/**
 * Observability: the exporters whose series the platform's alert rules (and dashboards and canary analyses)
 * read, each with the metric names it provides, and the alert catalog's thresholds. A rule may use a name
 * only if a service exports it (service-kit, apps/lib/metrics.ts), a rule records it, or an exporter here
 * lists it: policy-tests/alerting/metric-names.test.ts lists any other name as an error.
 * Names follow each exporter's own documentation and, for Kafka's JMX metrics, the renaming rules of
 * generators/kafka/cluster.ts (`kafka_<domain>_<type>_<name>`, lowercased).
 */
import { MONITORING_STACK_COMPONENT, VELERO_COMPONENT } from './platform-components.ts';
import type { ObservabilitySpec } from './spec.ts';

export const observability: ObservabilitySpec = {
  exporters: {
    prometheus: {
      description: 'Prometheus itself: the series it adds to every scrape target and the state of its alerts.',
      component: MONITORING_STACK_COMPONENT,
      metrics: ['up', 'scrape_duration_seconds', 'scrape_samples_scraped', 'ALERTS', 'ALERTS_FOR_STATE'],
    },
    'kube-state-metrics': {
      description: 'Kubernetes object state: pods and containers, Deployments, StatefulSets, HPAs, Jobs and CronJobs, PVCs, nodes.',
      component: MONITORING_STACK_COMPONENT,
      prefixes: ['kube_pod_', 'kube_deployment_', 'kube_statefulset_', 'kube_daemonset_', 'kube_horizontalpodautoscaler_', 'kube_job_', 'kube_cronjob_', 'kube_persistentvolumeclaim_', 'kube_node_', 'kube_namespace_'],
    },
    kubelet: {
      description: "The kubelet's volume statistics and cAdvisor's container usage, scraped from every node.",
      metrics: ['kubelet_volume_stats_available_bytes', 'kubelet_volume_stats_capacity_bytes', 'kubelet_volume_stats_used_bytes', 'kubelet_volume_stats_inodes_free', 'kubelet_volume_stats_inodes'],
      prefixes: ['container_cpu_', 'container_memory_', 'container_network_', 'container_fs_'],
    },
    'node-exporter': {
      description: 'Node hardware and OS: CPU, memory, filesystems, network, load.',
      component: 'node-exporter',
      prefixes: ['node_'],
    },
    'kafka-exporter': {
      description: "Strimzi's Kafka Exporter: consumer group offsets and lag, topic partition offsets, replicas and in-sync replicas, broker count.",
      component: 'kafka',
      metrics: ['kafka_brokers', 'kafka_topic_partitions'],
      prefixes: ['kafka_consumergroup_', 'kafka_topic_partition_'],
    },
    'strimzi-kafka': {
      description: "The brokers' JMX metrics through Strimzi's Prometheus JMX exporter (rules in generators/kafka/cluster.ts): replica manager, controller, partitions, requests, JVM.",
      component: 'kafka',
      prefixes: ['kafka_server_', 'kafka_controller_', 'kafka_cluster_', 'kafka_network_', 'kafka_log_', 'java_lang_'],
    },
    cloudnativepg: {
      description: "CloudNativePG's instance metrics (port 9187): the collector's own state, backups, and the default monitoring queries (replication, archiver, backends, settings).",
      component: 'datastores',
      prefixes: ['cnpg_collector_', 'cnpg_pg_', 'cnpg_backends_'],
    },
    'redis-exporter': {
      description: 'redis_exporter beside each Redis node (the Bitnami chart\'s metrics sidecar): availability, memory, clients, replication.',
      component: 'datastores',
      prefixes: ['redis_'],
    },
    'cert-manager': {
      description: "cert-manager's controller: certificate expiry, readiness and renewal times.",
      component: 'cert-manager',
      prefixes: ['certmanager_'],
    },
    'external-secrets': {
      description: 'External Secrets Operator: sync calls, sync errors and the Ready condition of each ExternalSecret.',
      component: 'external-secrets',
      prefixes: ['externalsecret_', 'clusterexternalsecret_'],
    },
    velero: {
      description: "Velero's server: backup attempts, successes, failures and the last successful backup per schedule.",
      component: VELERO_COMPONENT,
      prefixes: ['velero_backup_', 'velero_restore_'],
    },
    argocd: {
      description: "Argo CD's application controller: each Application's sync and health status.",
      metrics: ['argocd_app_info', 'argocd_app_sync_total', 'argocd_app_reconcile_count'],
    },
  },
};
