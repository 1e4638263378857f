// Facts of Kubernetes itself that generators refer to: well-known label keys, the system
// namespace and the API server's ports.

/** The recommended labels (app.kubernetes.io/*). */
export const LABEL_NAME = 'app.kubernetes.io/name';
export const LABEL_INSTANCE = 'app.kubernetes.io/instance';
export const LABEL_COMPONENT = 'app.kubernetes.io/component';
export const LABEL_PART_OF = 'app.kubernetes.io/part-of';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';

/** Set by Kubernetes on every namespace: how NetworkPolicies select one by name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
/** Node labels: the zone and the node, for topology spread and Kafka rack awareness. */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/** Where the cluster's own components (DNS among them) run. */
export const KUBE_SYSTEM_NAMESPACE = 'kube-system';
/** Ports the Kubernetes API is reached on: 443 through the `kubernetes` Service, 6443 on the control-plane nodes. */
export const API_SERVER_PORTS = [443, 6443];
