/**
 * The platform model's root. Edit the parts in their own files:
 * tenants and services in `tenants/`, topics in `topics.ts`, datastores in `datastores.ts`,
 * platform components in `components.ts`, monitoring and alert routing in `monitoring.ts`, policies in `policies.ts`, externals in `externals.ts`, storage classes in
 * `storage-classes.ts`, certificate issuers in `cluster-issuers.ts`, prices and platform quotas in `capacity.ts`,
 * chaos experiments in `chaos.ts`; names first in `names.ts`.
 */
import { capacity } from './capacity.ts';
import { chaosExperiments } from './chaos.ts';
import { clusterIssuers } from './cluster-issuers.ts';
import { components } from './components.ts';
import { datastores } from './datastores.ts';
import { externals } from './externals.ts';
import { monitoring } from './monitoring.ts';
import { observability } from './observability.ts';
import { policies } from './policies.ts';
import type { PlatformSpec } from './spec.ts';
import { storageClasses } from './storage-classes.ts';
import { gamemetrics } from './tenants/gamemetrics.ts';
import { geoClimate } from './tenants/geo-climate.ts';
import { topics } from './topics.ts';

export const platform: PlatformSpec = {
  apiVersion: 'gamemetrics.dev/v1',
  name: 'gamemetrics',
  git: { repoURL: 'https://git.gamemetrics.dev/platform/gamemetrics-platform.git', targetRevision: 'main' },
  argocdNamespace: 'argocd',
  ingressGateway: { namespace: 'istio-ingress', podSelector: { istio: 'ingressgateway' }, ingressClassName: 'istio', clusterIssuer: 'letsencrypt' },
  monitoring,
  resourceProfiles: {
    small: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    medium: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1000m', memory: '512Mi' } },
    large: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2000m', memory: '2Gi' } },
  },
  components,
  tenants: { gamemetrics, 'geo-climate': geoClimate },
  topics,
  datastores,
  policies,
  externals,
  storageClasses,
  clusterIssuers,
  observability,
  capacity,
  chaosExperiments,
};
