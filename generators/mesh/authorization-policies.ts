// AuthorizationPolicies of the enrolled namespaces: a default deny (allow-nothing) per namespace, then per
// service exactly its declared callers on its ports, the ingress gateway where it has an ingress and
// Prometheus on its metrics port (the first port), all by ServiceAccount principal; per datastore its
// clients on its port, its own pods, the migration Job and operator where it has them, and Prometheus.
import type { IAuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy';
import type { LoadedDatastore, LoadedModel, LoadedService } from '../../model/loaded.ts';
import { INGRESS_GATEWAY_SERVICE_ACCOUNT, MESH_COMPONENT, PROMETHEUS_SERVICE_ACCOUNT } from '../../model/platform-components.ts';
import { platformLabels, selectorLabels } from '../core/labels.ts';
import { serviceNamed } from '../core/lookup.ts';
import { customObject } from '../core/plain-object.ts';
import type { Generator, KubeObject, OutputFile } from '../core/types.ts';
import { migrationsName } from '../data/migrations.ts';
import { CNPG_STATUS_PORT, metricsPort, releaseSelector } from '../data/network-policies.ts';
import { meshNamespaces, principal } from './identity.ts';

type Rules = NonNullable<NonNullable<IAuthorizationPolicy['spec']>['rules']>;
type Rule = Rules[number];

const ports = (list: readonly number[]) => [{ operation: { ports: list.map(String) } }];
const fromPrincipals = (principals: string[], to: readonly number[]): Rule => ({ from: [{ source: { principals: [...principals].sort() } }], to: ports(to) });

export const servicePrincipal = (service: Pick<LoadedService, 'namespace' | 'name'>) => principal(service.namespace, service.name);
export const gatewayPrincipal = (model: LoadedModel) => principal(model.platform.ingressGateway.namespace, INGRESS_GATEWAY_SERVICE_ACCOUNT);
export const prometheusPrincipal = (model: LoadedModel) => principal(model.platform.monitoring.namespace, PROMETHEUS_SERVICE_ACCOUNT);

function policy(model: LoadedModel, name: string, namespace: string, spec: IAuthorizationPolicy['spec']): KubeObject {
  return customObject<IAuthorizationPolicy>({
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name, namespace, labels: platformLabels(model, MESH_COMPONENT) },
    spec,
  });
}

function serviceRules(model: LoadedModel, service: LoadedService): Rules {
  const all = service.ports.map((p) => p.port);
  const rules: Rules = [];
  if (service.calledBy.length > 0) rules.push(fromPrincipals(service.calledBy.map((c) => servicePrincipal(serviceNamed(model, c))), all));
  if (service.ingress) rules.push(fromPrincipals([gatewayPrincipal(model)], all));
  rules.push(fromPrincipals([prometheusPrincipal(model)], [all[0]]));
  return rules;
}

function datastoreRules(model: LoadedModel, store: LoadedDatastore): Rules {
  const rules: Rules = [];
  if (store.clients.length > 0) rules.push(fromPrincipals(store.clients.map((c) => principal(c.namespace, c.service)), [store.port]));
  if (store.cluster) {
    // Replication between the instances, which run as the ServiceAccount CloudNativePG names after the cluster.
    rules.push({ from: [{ source: { principals: [principal(store.namespace, store.name)] } }] });
    rules.push(fromPrincipals([principal(store.cluster.owner.namespace, migrationsName(store))], [store.port]));
    // The operator polls in plaintext (see peer-authentication.ts): only callers without a mesh identity, and the
    // NetworkPolicy admits only the operator's pods.
    rules.push({ from: [{ source: { notPrincipals: ['*'] } }], to: ports([CNPG_STATUS_PORT]) });
  } else {
    // A chart's pods (replicas, sentinels, peers) under the chart's own ServiceAccount: admitted by namespace.
    rules.push({ from: [{ source: { namespaces: [store.namespace] } }] });
  }
  const metrics = metricsPort(store);
  if (metrics !== null) rules.push(fromPrincipals([prometheusPrincipal(model)], [metrics]));
  return rules;
}

export const authorizationPolicies: Generator = ({ model }) => {
  const enrolled = meshNamespaces(model);
  if (enrolled.length === 0) return [];
  const files: OutputFile[] = enrolled.map((namespace) => ({
    path: `platform/${MESH_COMPONENT}/${namespace}/authorizationpolicy-default-deny.yaml`,
    source: 'environment.mesh',
    object: policy(model, 'default-deny', namespace, {}),
  }));
  for (const service of model.services) {
    if (service.ports.length === 0) continue;
    files.push({
      path: `platform/${MESH_COMPONENT}/${service.namespace}/authorizationpolicy-${service.name}.yaml`,
      source: service.modelPath,
      object: policy(model, service.name, service.namespace, { selector: { matchLabels: selectorLabels(service) }, action: 'ALLOW', rules: serviceRules(model, service) }),
    });
  }
  for (const store of model.datastores) {
    files.push({
      path: `platform/${MESH_COMPONENT}/${store.namespace}/authorizationpolicy-${store.name}.yaml`,
      source: store.modelPath,
      object: policy(model, store.name, store.namespace, { selector: { matchLabels: releaseSelector(store) }, action: 'ALLOW', rules: datastoreRules(model, store) }),
    });
  }
  return files;
};
