// The npm packages whose type declarations the kind schemas are extracted from.

/** Packages scanned for kinds: the core models and the custom-resource models the generators emit. */
export const MODEL_PACKAGES = [
  'kubernetes-models',
  '@kubernetes-models/argo-cd',
  '@kubernetes-models/argo-rollouts',
  '@kubernetes-models/autoscaler',
  '@kubernetes-models/cert-manager',
  '@kubernetes-models/external-secrets',
  '@kubernetes-models/istio',
  '@kubernetes-models/keda',
  '@kubernetes-models/kyverno',
  '@kubernetes-models/prometheus-operator',
  '@kubernetes-models/strimzi-kafka-operator',
];
