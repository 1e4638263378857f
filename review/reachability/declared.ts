// What the model declares, in the matrices' terms: the call graph plus the platform flows (DNS, Kafka,
// datastores, scraping, ingress, traces to the collector), the services' external egress, and who may do what. The proof compares these with what the rendered
// objects allow (index.ts); nothing here reads a rendered object.
import type { LoadedModel } from '../../model/loaded.ts';
import { regionModels } from '../../model/regions.ts';
import { applicationPrefix } from '../../generators/argocd/argocd.ts';
import { INGRESS_GATEWAY_COMPONENT, OTEL_COLLECTOR_COMPONENT } from '../../model/platform-components.ts';
import { OTLP_HTTP_PORT } from '../../generators/observability/stack/names.ts';
import { registrationName } from '../../generators/schema-registry/registration.ts';
import { TLS_LISTENER } from '../../model/kafka.ts';
import { NON_PUBLIC_RANGES } from '../../generators/core/network-policy.ts';
import { builtInRole, type Grant } from './access.ts';
import { type Edge, ipBlockTarget } from './network.ts';
import { OTHER_PODS } from './pods.ts';
import { portKey } from './ports.ts';

const DNS = 'kube-system/kube-dns';
const DNS_PORTS = [portKey(53, 'TCP'), portKey(53, 'UDP')];

export interface Declared {
  network: Edge[];
  mesh: Edge[];
  external: Edge[];
  access: Grant[];
}

export function declared(model: LoadedModel): Declared {
  const network = new Map<string, Edge>();
  const mesh = new Map<string, Edge>();
  const external: Edge[] = [];
  const allow = (from: string, to: string, ports: string[], meshToo: boolean) => {
    for (const matrix of meshToo ? [network, mesh] : [network]) {
      const key = `${from} ${to}`;
      const edge = matrix.get(key) ?? { from, to, ports: new Set<string>() };
      for (const p of ports) (edge.ports as Set<string>).add(p);
      matrix.set(key, edge);
    }
  };
  const id = (namespace: string, name: string) => `${namespace}/${name}`;
  const tcp = (ports: number[]) => ports.map((p) => portKey(p));
  const kafka = model.environment.kafka;
  const gateway = id(model.platform.ingressGateway.namespace, INGRESS_GATEWAY_COMPONENT);
  const prometheus = id(model.platform.monitoring.namespace, 'prometheus');
  // Traces go to the collector's OTLP/HTTP receiver where the environment runs one (outside the mesh: network only).
  const collector = model.components.some((c) => c.name === OTEL_COLLECTOR_COMPONENT) ? id(model.platform.monitoring.namespace, OTEL_COLLECTOR_COMPONENT) : null;

  for (const tenant of model.tenants) for (const ns of tenant.namespaces) allow(id(ns, OTHER_PODS), DNS, DNS_PORTS, false);
  for (const s of model.services) {
    const self = id(s.namespace, s.name);
    allow(self, DNS, DNS_PORTS, false);
    for (const callee of s.calls) {
      const to = model.services.find((c) => c.name === callee)!;
      allow(self, id(to.namespace, to.name), tcp(to.ports.map((p) => p.port)), true);
    }
    if (collector) allow(self, collector, tcp([OTLP_HTTP_PORT]), false);
    if (s.kafka) allow(self, id(kafka.namespace, `${kafka.clusterName}-kafka`), tcp([TLS_LISTENER.port]), false);
    for (const use of s.datastores) {
      const store = model.datastores.find((d) => d.name === use.name)!;
      allow(self, id(store.namespace, store.name), tcp([store.port]), true);
    }
    if (s.ingress && s.ports.length > 0) allow(gateway, self, tcp(s.ports.map((p) => p.port)), true);
    if (s.ports.length > 0) allow(prometheus, self, tcp([s.ports[0].port]), true);
    // Endpoints outside the cluster (model/externals.ts): public addresses only, on the declared ports.
    for (const e of s.externalEgress) external.push({ from: self, to: ipBlockTarget('0.0.0.0/0', NON_PUBLIC_RANGES), ports: new Set(tcp(e.ports)) });
  }
  for (const store of model.datastores) {
    if (!store.cluster) continue;
    const migrations = id(store.cluster.owner.namespace, `${store.name}-migrations`);
    allow(migrations, DNS, DNS_PORTS, false);
    allow(migrations, id(store.namespace, store.name), tcp([store.port]), true);
  }
  // A tenant's Schema Registry registration Job (generators/schema-registry/): DNS and the registry's API port.
  for (const tenant of model.tenants) {
    if (!tenant.schemaRegistry) continue;
    const registry = model.services.find((s) => s.name === tenant.schemaRegistry!.service)!;
    const job = id(registry.namespace, registrationName(registry));
    allow(job, DNS, DNS_PORTS, false);
    allow(job, id(registry.namespace, registry.name), tcp([registry.ports[0].port]), true);
  }

  const access: Grant[] = [];
  const { access: declaredAccess } = model.environment;
  const role = builtInRole(declaredAccess.tenantRole)!;
  for (const { tenant, groups } of declaredAccess.tenants) {
    const spec = model.tenants.find((t) => t.name === tenant)!;
    for (const group of groups) {
      const subject = `Group:${group}`;
      for (const ns of spec.namespaces) for (const r of role) for (const verb of r.verbs) access.push({ subject, scope: ns, resource: r.resource, verb });
      // Its project in every region (one Argo CD holds them all).
      for (const prefix of regionModels(model).map(applicationPrefix)) {
        for (const verb of ['get', 'sync']) access.push({ subject, scope: `argocd:${prefix}-${tenant}/*`, resource: 'applications', verb });
      }
    }
  }
  const admins = `Group:${declaredAccess.platformAdmins}`;
  access.push({ subject: admins, scope: '*', resource: '*', verb: '*' }, { subject: admins, scope: 'argocd:*/*', resource: '*', verb: '*' });
  return { network: [...network.values()], mesh: [...mesh.values()], external, access };
}
