// The rule catalog: every policy rule, one per file. docs/POLICIES.md is generated from this list.
import type { Rule } from '../lib/rule.ts';
import { rule as bApparmor } from './pss-baseline/apparmor.ts';
import { rule as bCapabilities } from './pss-baseline/capabilities.ts';
import { rule as bHostNamespaces } from './pss-baseline/host-namespaces.ts';
import { rule as bHostPathVolumes } from './pss-baseline/host-path-volumes.ts';
import { rule as bHostPorts } from './pss-baseline/host-ports.ts';
import { rule as bHostProbes } from './pss-baseline/host-probes.ts';
import { rule as bHostProcess } from './pss-baseline/host-process.ts';
import { rule as bPrivileged } from './pss-baseline/privileged.ts';
import { rule as bProcMount } from './pss-baseline/proc-mount.ts';
import { rule as bSeccomp } from './pss-baseline/seccomp.ts';
import { rule as bSelinux } from './pss-baseline/selinux.ts';
import { rule as bSysctls } from './pss-baseline/sysctls.ts';
import { rule as rAllowPrivilegeEscalation } from './pss-restricted/allow-privilege-escalation.ts';
import { rule as rCapabilities } from './pss-restricted/capabilities.ts';
import { rule as rRunAsNonRoot } from './pss-restricted/run-as-non-root.ts';
import { rule as rRunAsUser } from './pss-restricted/run-as-user.ts';
import { rule as rSeccomp } from './pss-restricted/seccomp.ts';
import { rule as rVolumeTypes } from './pss-restricted/volume-types.ts';
import { rule as bpResources } from './best-practices/resources.ts';
import { rule as bpReadinessProbe } from './best-practices/readiness-probe.ts';
import { rule as bpLivenessProbe } from './best-practices/liveness-probe.ts';
import { rule as bpImageTag } from './best-practices/image-tag.ts';
import { rule as bpImageDigest } from './best-practices/image-digest.ts';
import { rule as bpReadOnlyRootFilesystem } from './best-practices/read-only-root-filesystem.ts';
import { rule as bpServiceAccountToken } from './best-practices/service-account-token.ts';
import { rule as bpServiceExposure } from './best-practices/service-exposure.ts';
import { rule as bpIngressTls } from './best-practices/ingress-tls.ts';
import { rule as bpPodDisruptionBudget } from './best-practices/pod-disruption-budget.ts';
import { rule as bpReplicas } from './best-practices/replicas.ts';
import { rule as bpTopologySpread } from './best-practices/topology-spread.ts';
import { rule as bpAutoscalerBehavior } from './best-practices/autoscaler-behavior.ts';
import { rule as pApprovedRegistries } from './platform/approved-registries.ts';
import { rule as pSignedImages } from './platform/signed-images.ts';
import { rule as pNoPlaintextSecrets } from './platform/no-plaintext-secrets.ts';
import { rule as pNamespaceDefaultDeny } from './platform/namespace-default-deny.ts';
import { rule as pNamespacePodSecurity } from './platform/namespace-pod-security.ts';
import { rule as pKafkaTopicDurability } from './platform/kafka-topic-durability.ts';
import { rule as pArgocdProject } from './platform/argocd-project.ts';
import { rule as pArgocdAutoSync } from './platform/argocd-auto-sync.ts';
import { rule as pApplicationSetClusters } from './platform/applicationset-clusters.ts';
import { rule as pReferencesResolve } from './platform/references-resolve.ts';
import { rule as pStorageClass } from './platform/storage-class.ts';
import { rule as pStrictMtls } from './platform/strict-mtls.ts';
import { rule as pAuthorizationPrincipals } from './platform/authorization-principals.ts';
import { rule as pExternalSecretStore } from './platform/external-secret-store.ts';
import { rule as pDatabaseBackups } from './platform/database-backups.ts';
import { rule as pNoChaosInProduction } from './platform/no-chaos-in-production.ts';
import { rule as pCostAllocationLabels } from './platform/cost-allocation-labels.ts';
import { rule as pNoPlaceholderDigest } from './platform/no-placeholder-digest.ts';

export const CATALOG: Rule[] = [
  bHostProcess, bHostNamespaces, bPrivileged, bCapabilities, bHostPathVolumes, bHostPorts,
  bApparmor, bSelinux, bProcMount, bSeccomp, bSysctls, bHostProbes,
  rVolumeTypes, rAllowPrivilegeEscalation, rRunAsNonRoot, rRunAsUser, rSeccomp, rCapabilities,
  bpResources, bpReadinessProbe, bpLivenessProbe, bpImageTag, bpImageDigest, bpReadOnlyRootFilesystem, bpServiceAccountToken, bpServiceExposure, bpIngressTls, bpPodDisruptionBudget, bpReplicas, bpTopologySpread, bpAutoscalerBehavior,
  pApprovedRegistries, pSignedImages, pNoPlaintextSecrets, pNamespaceDefaultDeny, pNamespacePodSecurity, pKafkaTopicDurability, pArgocdProject, pArgocdAutoSync, pApplicationSetClusters,
  pReferencesResolve, pStorageClass, pExternalSecretStore, pDatabaseBackups, pStrictMtls, pAuthorizationPrincipals, pNoChaosInProduction, pCostAllocationLabels, pNoPlaceholderDigest,
];
