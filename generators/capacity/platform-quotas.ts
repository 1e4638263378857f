// A ResourceQuota and a LimitRange for every namespace the platform manages that no tenant owns (components',
// datastores', monitoring, the ingress gateway), next to the namespace's other guardrails. Tenants' come from
// generators/namespaces/namespace-guardrails.ts.
import type { LimitRange, ResourceQuota } from 'kubernetes-types/core/v1.js';
import { platformQuota } from '../../model/load/capacity.ts';
import { NAMESPACES_COMPONENT, platformLabels } from '../core/labels.ts';
import { typedObject } from '../core/typed-object.ts';
import type { Generator, OutputFile } from '../core/types.ts';
import { managedNamespaces } from '../namespaces/namespaces.ts';
import { quotaHard } from '../namespaces/namespace-guardrails.ts';

export const PLATFORM_QUOTA = 'platform-quota';
export const PLATFORM_LIMITS = 'container-defaults';

export const platformQuotas: Generator = ({ model }) => {
  const labels = platformLabels(model, NAMESPACES_COMPONENT);
  const defaults = model.capacity.platformContainerDefaults;
  return managedNamespaces(model).filter((ns) => ns.tenant === null).flatMap((ns): OutputFile[] => {
    const { quota, modelPath } = platformQuota(model.capacity, ns.name);
    const folder = `platform/${NAMESPACES_COMPONENT}/${ns.name}`;
    return [
      {
        path: `${folder}/resourcequota-${PLATFORM_QUOTA}.yaml`,
        source: modelPath,
        object: typedObject<ResourceQuota>({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: PLATFORM_QUOTA, namespace: ns.name, labels }, spec: { hard: quotaHard(quota, ns.name === model.platform.ingressGateway.namespace ? 1 : 0) } }),
      },
      {
        path: `${folder}/limitrange-${PLATFORM_LIMITS}.yaml`,
        source: 'capacity.platformContainerDefaults',
        object: typedObject<LimitRange>({
          apiVersion: 'v1',
          kind: 'LimitRange',
          metadata: { name: PLATFORM_LIMITS, namespace: ns.name, labels },
          spec: { limits: [{ type: 'Container', defaultRequest: { ...defaults.requests }, default: { ...defaults.limits } }] },
        }),
      },
    ];
  });
};
