// Which apiVersion/kind pairs a Kubernetes minor version serves: removed APIs are errors, deprecated ones warnings.
// Facts from the Kubernetes deprecated API migration guide.

export interface ApiChange {
  apiVersion: string;
  /** First minor version that serves it by default (GA APIs added after older clusters). */
  servedFrom?: number;
  /** Kinds affected; all kinds of the apiVersion when omitted. */
  kinds?: string[];
  /** Minor version that deprecated it (still served). */
  deprecatedIn?: number;
  /** Minor version that stopped serving it. */
  removedIn?: number;
  /** What to use instead. */
  replacement: string;
}

const workloads = ['Deployment', 'DaemonSet', 'ReplicaSet', 'StatefulSet', 'ControllerRevision', 'DeploymentRollback', 'Scale'];

export const API_CHANGES: ApiChange[] = [
  { apiVersion: 'extensions/v1beta1', kinds: ['Ingress', 'IngressList'], deprecatedIn: 14, removedIn: 22, replacement: 'networking.k8s.io/v1 Ingress' },
  { apiVersion: 'extensions/v1beta1', deprecatedIn: 9, removedIn: 16, replacement: 'apps/v1 (workloads) or networking.k8s.io/v1 (NetworkPolicy)' },
  { apiVersion: 'apps/v1beta1', kinds: workloads, deprecatedIn: 9, removedIn: 16, replacement: 'apps/v1' },
  { apiVersion: 'apps/v1beta2', deprecatedIn: 9, removedIn: 16, replacement: 'apps/v1' },
  ...['admissionregistration.k8s.io', 'apiextensions.k8s.io', 'apiregistration.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io', 'certificates.k8s.io', 'coordination.k8s.io', 'rbac.authorization.k8s.io', 'scheduling.k8s.io'].map(
    (g): ApiChange => ({ apiVersion: `${g}/v1beta1`, deprecatedIn: 19, removedIn: 22, replacement: `${g}/v1` }),
  ),
  { apiVersion: 'networking.k8s.io/v1beta1', deprecatedIn: 19, removedIn: 22, replacement: 'networking.k8s.io/v1' },
  { apiVersion: 'storage.k8s.io/v1beta1', kinds: ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'], deprecatedIn: 19, removedIn: 22, replacement: 'storage.k8s.io/v1' },
  { apiVersion: 'storage.k8s.io/v1beta1', kinds: ['CSIStorageCapacity'], deprecatedIn: 24, removedIn: 27, replacement: 'storage.k8s.io/v1' },
  { apiVersion: 'batch/v1beta1', deprecatedIn: 21, removedIn: 25, replacement: 'batch/v1 CronJob' },
  { apiVersion: 'discovery.k8s.io/v1beta1', deprecatedIn: 21, removedIn: 25, replacement: 'discovery.k8s.io/v1' },
  { apiVersion: 'events.k8s.io/v1beta1', deprecatedIn: 19, removedIn: 25, replacement: 'events.k8s.io/v1' },
  { apiVersion: 'autoscaling/v2beta1', deprecatedIn: 23, removedIn: 25, replacement: 'autoscaling/v2' },
  { apiVersion: 'policy/v1beta1', kinds: ['PodSecurityPolicy', 'PodSecurityPolicyList'], deprecatedIn: 21, removedIn: 25, replacement: 'Pod Security Admission (namespace labels)' },
  { apiVersion: 'policy/v1beta1', deprecatedIn: 21, removedIn: 25, replacement: 'policy/v1' },
  { apiVersion: 'node.k8s.io/v1beta1', deprecatedIn: 20, removedIn: 25, replacement: 'node.k8s.io/v1' },
  { apiVersion: 'autoscaling/v2beta2', deprecatedIn: 23, removedIn: 26, replacement: 'autoscaling/v2' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1', deprecatedIn: 23, removedIn: 26, replacement: 'flowcontrol.apiserver.k8s.io/v1' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2', deprecatedIn: 26, removedIn: 29, replacement: 'flowcontrol.apiserver.k8s.io/v1' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', deprecatedIn: 29, removedIn: 32, replacement: 'flowcontrol.apiserver.k8s.io/v1' },
  { apiVersion: 'v1', kinds: ['ComponentStatus', 'ComponentStatusList'], deprecatedIn: 19, replacement: 'the API server health endpoints (/livez, /readyz)' },
  { apiVersion: 'v1', kinds: ['Endpoints', 'EndpointsList'], deprecatedIn: 33, replacement: 'discovery.k8s.io/v1 EndpointSlice' },
  // APIs newer than some clusters: not served before `servedFrom`.
  { apiVersion: 'networking.k8s.io/v1', kinds: ['Ingress', 'IngressList', 'IngressClass', 'IngressClassList'], servedFrom: 19, replacement: 'networking.k8s.io/v1beta1 on clusters before 1.19' },
  { apiVersion: 'events.k8s.io/v1', servedFrom: 19, replacement: 'v1 Event' },
  { apiVersion: 'certificates.k8s.io/v1', servedFrom: 19, replacement: 'certificates.k8s.io/v1beta1 before 1.19' },
  { apiVersion: 'node.k8s.io/v1', servedFrom: 20, replacement: 'node.k8s.io/v1beta1 before 1.20' },
  { apiVersion: 'policy/v1', servedFrom: 21, replacement: 'policy/v1beta1 before 1.21' },
  { apiVersion: 'batch/v1', kinds: ['CronJob', 'CronJobList'], servedFrom: 21, replacement: 'batch/v1beta1 before 1.21' },
  { apiVersion: 'discovery.k8s.io/v1', servedFrom: 21, replacement: 'discovery.k8s.io/v1beta1 before 1.21' },
  { apiVersion: 'autoscaling/v2', servedFrom: 23, replacement: 'autoscaling/v2beta2 before 1.23' },
  { apiVersion: 'storage.k8s.io/v1', kinds: ['CSIStorageCapacity', 'CSIStorageCapacityList'], servedFrom: 24, replacement: 'storage.k8s.io/v1beta1 before 1.24' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1', servedFrom: 29, replacement: 'flowcontrol.apiserver.k8s.io/v1beta3 before 1.29' },
  { apiVersion: 'admissionregistration.k8s.io/v1', kinds: ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyList', 'ValidatingAdmissionPolicyBinding', 'ValidatingAdmissionPolicyBindingList'], servedFrom: 30, replacement: 'a webhook or Kyverno policy on older clusters' },
  { apiVersion: 'networking.k8s.io/v1', kinds: ['IPAddress', 'IPAddressList', 'ServiceCIDR', 'ServiceCIDRList'], servedFrom: 33, replacement: 'nothing before 1.33' },
  { apiVersion: 'resource.k8s.io/v1', servedFrom: 34, replacement: 'resource.k8s.io/v1beta1 (feature gate) before 1.34' },
  { apiVersion: 'storage.k8s.io/v1', kinds: ['VolumeAttributesClass', 'VolumeAttributesClassList'], servedFrom: 34, replacement: 'storage.k8s.io/v1beta1 (feature gate) before 1.34' },
  // Beta in 1.34 (off by default); stable only in a later release.
  { apiVersion: 'admissionregistration.k8s.io/v1', kinds: ['MutatingAdmissionPolicy', 'MutatingAdmissionPolicyList', 'MutatingAdmissionPolicyBinding', 'MutatingAdmissionPolicyBindingList'], servedFrom: 35, replacement: 'a mutating webhook (Kyverno) up to 1.34' },
  // Operators this platform installs.
  { apiVersion: 'kafka.strimzi.io/v1beta1', removedIn: 0, replacement: 'kafka.strimzi.io/v1' },
  { apiVersion: 'kafka.strimzi.io/v1alpha1', removedIn: 0, replacement: 'kafka.strimzi.io/v1' },
  { apiVersion: 'kafka.strimzi.io/v1beta2', deprecatedIn: 0, replacement: 'kafka.strimzi.io/v1 (Strimzi 0.49+)' },
];

const CORE_GROUP = /^(v\d.*|(apps|batch|autoscaling|policy|extensions)\/.*|[a-z.]*k8s\.io\/.*)$/;

export type ApiStatus = { status: 'served' } | { status: 'deprecated' | 'removed' | 'not-served'; message: string };

/** Whether Kubernetes `1.<minor>` serves `apiVersion`/`kind`. */
export function apiStatus(apiVersion: string, kind: string, minor: number): ApiStatus {
  const matches = API_CHANGES.filter((c) => c.apiVersion === apiVersion && (!c.kinds || c.kinds.includes(kind)));
  const newer = matches.find((c) => c.servedFrom !== undefined && minor < c.servedFrom);
  if (newer) return { status: 'not-served', message: `${apiVersion} ${kind} is not served before Kubernetes 1.${newer.servedFrom}; use ${newer.replacement}` };
  const change = matches.find((c) => c.servedFrom === undefined);
  if (change?.removedIn !== undefined && minor >= change.removedIn) {
    const when = change.removedIn > 0 ? `Kubernetes 1.${change.removedIn} stopped serving it` : 'the operator no longer serves it';
    return { status: 'removed', message: `${apiVersion} ${kind} is removed: ${when}; use ${change.replacement}` };
  }
  if (CORE_GROUP.test(apiVersion) && /alpha/.test(apiVersion) && !apiVersion.includes('x-k8s.io')) {
    return { status: 'not-served', message: `${apiVersion} is an alpha API, not served unless a feature gate enables it; use a GA version` };
  }
  if (change?.deprecatedIn !== undefined && minor >= change.deprecatedIn) {
    return { status: 'deprecated', message: `${apiVersion} ${kind} is deprecated${change.deprecatedIn > 0 ? ` since Kubernetes 1.${change.deprecatedIn}` : ''}; use ${change.replacement}` };
  }
  return { status: 'served' };
}
