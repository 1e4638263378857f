/**
 * Platform policies. Waivers are accepted exceptions to a policy rule (see docs/POLICIES.md for rule ids):
 * each names who approved it, why, and when it ends; an expired waiver fails `npm run render`.
 */
import type { PoliciesSpec, WaiverSpec } from './spec.ts';

const istioBaseline = {
  rule: 'platform/namespace-pod-security',
  reason: "Istio's pods (istiod, the ingress gateway) get their security context from Istio's charts and injection templates, which set no seccomp profile; the namespace enforces baseline (audit and warn stay restricted) until the charts' values are hardened to restricted. Declared in model/components.ts (podSecurity).",
  expires: '2027-05-31',
  approvedBy: 'platform-team@gamemetrics.dev',
} satisfies Omit<WaiverSpec, 'target'>;

export const policies = {
  approvedRegistries: ['registry.gamemetrics.dev/'],
  // The release workflow (.github/workflows/release.yml) on main signs every image keyless with its GitHub OIDC token.
  imageSigning: {
    issuer: 'https://token.actions.githubusercontent.com',
    subject: 'https://github.com/gamemetrics/gamemetrics-platform/.github/workflows/release.yml@refs/heads/main',
  },
  waivers: [
    // The TimescaleDB image's digest is a placeholder until the mirror job records the real one (model/placeholder-digests.ts).
    ...['Cluster/data/timescaledb', 'Job/gamemetrics/timescaledb-migrations'].map((target): WaiverSpec => ({
      rule: 'platform/no-placeholder-digest',
      target,
      environments: ['prod'],
      reason: 'The mirrored TimescaleDB image (cloudnativepg-timescale:15.13-ts2.21.3) is pinned by a placeholder digest: no public source records its digest and nothing here pulls images. Ends when the mirror job records the digest and model/datastores.ts pins it; until then prod cannot start the database, which the release checklist (docs/datastores.md) states.',
      expires: '2027-01-31',
      approvedBy: 'platform-team@gamemetrics.dev',
    })),
    { ...istioBaseline, target: 'Namespace/istio-system' },
    { ...istioBaseline, target: 'Namespace/istio-ingress' },
    {
      rule: 'platform/namespace-pod-security',
      target: 'Namespace/node-exporter',
      reason: "node-exporter reads each node's CPU, memory, disk and network through hostNetwork, hostPID and read-only hostPath mounts, which only privileged admits; its namespace holds the DaemonSet alone. Ends if the node metrics come from the cloud provider's agent instead. Declared in model/components.ts (podSecurity).",
      expires: '2027-05-31',
      approvedBy: 'platform-team@gamemetrics.dev',
    },
    {
      rule: 'platform/namespace-pod-security',
      target: 'Namespace/log-collector',
      reason: "The log agent tails every container's log files on its node and keeps its read positions there, through a read-only hostPath mount of /var/log/pods and a writable checkpoint directory on the node, which only privileged admits; its namespace holds the DaemonSet alone. Ends if the cluster's logs are shipped by the cloud provider's agent instead. Declared in model/components.ts (podSecurity).",
      expires: '2027-05-31',
      approvedBy: 'platform-team@gamemetrics.dev',
    },
    {
      rule: 'platform/namespace-pod-security',
      target: 'Namespace/chaos-mesh',
      environments: ['staging'],
      reason: "Chaos Mesh's daemon enters other pods' network, PID and mount namespaces to inject faults, which needs privileged containers and host paths; it runs only where the environment declares chaos (staging). Declared in model/components.ts (podSecurity).",
      expires: '2027-05-31',
      approvedBy: 'platform-team@gamemetrics.dev',
    },
  ],
} satisfies PoliciesSpec;
