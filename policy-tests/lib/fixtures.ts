// Builders for rule fixtures: a pod (or workload) that passes every rule, which each fixture then breaks.
import { emitYaml } from '../../scripts/lib/yaml-emitter.ts';
import type { Obj } from './workloads.ts';

/** A registry approved in fixtures (and the fixture environment). */
export const FIXTURE_REGISTRY = 'registry.example.com/gamemetrics/';
export const FIXTURE_IMAGE = `${FIXTURE_REGISTRY}api@sha256:${'a'.repeat(64)}`;

const container = (name: string): Obj => ({
  name,
  image: FIXTURE_IMAGE,
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
  securityContext: {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
  },
});

/** A pod spec that satisfies every pod rule. */
export function goodPodSpec(): Obj {
  return {
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        ...container('app'),
        ports: [{ name: 'http', containerPort: 8080 }],
        readinessProbe: { httpGet: { path: '/readyz', port: 'http' } },
        livenessProbe: { httpGet: { path: '/healthz', port: 'http' } },
      },
    ],
    initContainers: [container('init')],
  };
}

/** A Pod that satisfies every pod rule, changed by `edit`, as YAML. */
export function pod(edit: (p: Obj) => void = () => {}): string {
  const p: Obj = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'fixture', namespace: 'team' }, spec: goodPodSpec() };
  edit(p);
  return emitYaml(p);
}

/** A production-ready Deployment (3 replicas, spread), changed by `edit`, as YAML. */
export function deployment(edit: (d: Obj) => void = () => {}): string {
  const labels = { 'app.kubernetes.io/name': 'api' };
  const d: Obj = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'team', labels },
    spec: {
      replicas: 3,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          ...goodPodSpec(),
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: labels } }],
        },
      },
    },
  };
  edit(d);
  return emitYaml(d);
}

/** Several objects as one multi-document YAML text. */
export const docs = (...parts: Array<string | Obj>) => parts.map((p) => (typeof p === 'string' ? p : emitYaml(p))).join('---\n');
