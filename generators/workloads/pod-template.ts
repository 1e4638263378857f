// The hardened pod template shared by Deployments and CronJobs: non-root, read-only root
// filesystem, RuntimeDefault seccomp, no capabilities, requests and limits, probes from the model.
import type { Container, PodTemplateSpec, Probe, TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import type { LoadedModel, LoadedService } from '../../model/loaded.ts';
import { clusterCaSecret, KAFKA_CA_MOUNT } from '../kafka/ca-trust.ts';
import { HOSTNAME_LABEL, ZONE_LABEL } from '../core/kubernetes.ts';
import { selectorLabels, serviceLabels } from '../core/labels.ts';
import { passwordFiles } from '../secrets/catalog.ts';
import { secretEnv } from './service-config.ts';

const RUN_AS = 10001;

export function isMultiReplica(service: LoadedService): boolean {
  return service.scaling.mode === 'fixed' ? service.scaling.replicas >= 2 : service.scaling.maxReplicas >= 2;
}

function probe(path: string, port: string, initialDelaySeconds: number, periodSeconds: number, failureThreshold: number): Probe {
  return { httpGet: { path, port }, initialDelaySeconds, periodSeconds, timeoutSeconds: 2, failureThreshold };
}

export function podTemplate(model: LoadedModel, service: LoadedService, restartPolicy: 'Always' | 'OnFailure'): PodTemplateSpec {
  // Rotating passwords are also mounted: a mounted Secret follows rotation, an env var keeps the value the pod started with.
  const files = passwordFiles(model, service);
  const container: Container = {
    name: service.name,
    image: service.image.reference,
    imagePullPolicy: 'IfNotPresent',
    ports: service.ports.length > 0 ? service.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol })) : undefined,
    envFrom: [{ configMapRef: { name: `${service.name}-config` } }],
    env: (() => {
      const vars = secretEnv(model, service);
      const env = [
        ...vars.map((v) => ({ name: v.name, valueFrom: { secretKeyRef: { name: v.secret, key: v.key } } })),
        ...files.map((f) => ({ name: f.env, value: `${f.directory}/${f.key}` })),
      ];
      return env.length > 0 ? env : undefined;
    })(),
    resources: { requests: { ...service.resources.requests }, limits: { ...service.resources.limits } },
    readinessProbe: service.health ? probe(service.health.readiness, service.health.port, service.health.initialDelaySeconds, 5, 3) : undefined,
    livenessProbe: service.health ? probe(service.health.liveness, service.health.port, service.health.initialDelaySeconds, 10, 3) : undefined,
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: RUN_AS,
      runAsGroup: RUN_AS,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    volumeMounts: [
      { name: 'tmp', mountPath: '/tmp' },
      ...(service.kafka ? [{ name: KAFKA_CA_MOUNT.volume, mountPath: KAFKA_CA_MOUNT.directory, readOnly: true }] : []),
      ...files.map((f) => ({ name: f.volume, mountPath: f.directory, readOnly: true })),
    ],
  };
  const spread: TopologySpreadConstraint[] | undefined = isMultiReplica(service)
    ? [
        { maxSkew: 1, topologyKey: ZONE_LABEL, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selectorLabels(service) } },
        { maxSkew: 1, topologyKey: HOSTNAME_LABEL, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selectorLabels(service) } },
      ]
    : undefined;
  return {
    metadata: { labels: serviceLabels(model, service) },
    spec: {
      serviceAccountName: service.name,
      automountServiceAccountToken: service.kubernetesApiAccess,
      enableServiceLinks: false,
      restartPolicy,
      terminationGracePeriodSeconds: 30,
      securityContext: { runAsNonRoot: true, runAsUser: RUN_AS, runAsGroup: RUN_AS, fsGroup: RUN_AS, seccompProfile: { type: 'RuntimeDefault' } },
      topologySpreadConstraints: spread,
      containers: [container],
      volumes: [
        { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
        ...(service.kafka ? [{ name: KAFKA_CA_MOUNT.volume, secret: { secretName: clusterCaSecret(model), items: [{ key: KAFKA_CA_MOUNT.key, path: KAFKA_CA_MOUNT.key }] } }] : []),
        ...files.map((f) => ({ name: f.volume, secret: { secretName: f.secret, items: [{ key: f.key, path: f.key }], defaultMode: 0o440 } })),
      ],
    },
  };
}
