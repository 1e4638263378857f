// Reference closure: every object a rendered object names (Secrets, ConfigMaps, ServiceAccounts, claims,
// storage classes, issuers, stores, namespaces, projects) must be rendered, be created by a rendered
// operator from a rendered object, or be declared external. What nothing provides is a dangling reference.
import type { Doc } from './documents.ts';
import { type Obj, type Path, podOf } from './workloads.ts';

/** Kinds whose objects have no namespace. */
const CLUSTER_SCOPED = new Set(['Namespace', 'StorageClass', 'ClusterIssuer', 'ClusterSecretStore', 'ClusterRole', 'IngressClass', 'ClusterPolicy', 'CustomResourceDefinition',
  // Outside Kubernetes: an API server URL, Kafka bootstrap servers, a DNS host, a key in the secret store.
  'KubernetesCluster', 'KafkaCluster', 'DnsZone', 'SecretStoreKey']);

/** The cluster Argo CD itself runs in, which every Argo CD knows. */
const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/** What exists in every namespace of every cluster, and the namespaces every cluster has. */
const ALWAYS_PRESENT = [
  { kind: 'ServiceAccount', name: 'default' },
  { kind: 'ConfigMap', name: 'kube-root-ca.crt' },
];
const BUILT_IN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export interface ObjectKey {
  kind: string;
  /** Absent for cluster-scoped kinds. */
  namespace?: string;
  name: string;
}

export interface Reference extends ObjectKey {
  doc: Doc;
  /** Where the name is written in `doc`. */
  path: Path;
}

export interface Provided extends ObjectKey {
  /** `Kind/namespace/name` of the rendered object that is, or whose operator creates, the object. */
  by: string;
}

/** An object the repository does not create, declared once with the reason (model `externals`). */
export interface ExternalObject extends ObjectKey {
  reason: string;
}

export interface DanglingReference extends Reference {
  message: string;
}

const keyOf = (o: ObjectKey) => `${o.kind}/${CLUSTER_SCOPED.has(o.kind) ? '' : (o.namespace ?? 'default')}/${o.name}`;
const nsOf = (doc: Doc) => doc.data.metadata?.namespace ?? 'default';
const nameOf = (doc: Doc) => String(doc.data.metadata?.name ?? '');
const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** Every name `doc` refers to, with the kind and namespace it must exist in. */
export function referencesOf(doc: Doc): Reference[] {
  const out: Reference[] = [];
  const data = doc.data as Obj;
  const kind = data.kind;
  const ns = nsOf(doc);
  const add = (refKind: string, name: unknown, path: Path, namespace: string | undefined = ns) => {
    if (isString(name) && !name.includes('{{')) out.push({ doc, path, kind: refKind, name, ...(CLUSTER_SCOPED.has(refKind) ? {} : { namespace }) });
  };

  if (isString(data.metadata?.namespace)) add('Namespace', data.metadata.namespace, ['metadata', 'namespace']);

  const pod = podOf(doc);
  if (pod) {
    const { spec, specPath } = pod;
    if (isString(spec.serviceAccountName)) add('ServiceAccount', spec.serviceAccountName, [...specPath, 'serviceAccountName']);
    (spec.imagePullSecrets ?? []).forEach((s: Obj, i: number) => add('Secret', s?.name, [...specPath, 'imagePullSecrets', i, 'name']));
    (spec.volumes ?? []).forEach((v: Obj, i: number) => {
      const at = [...specPath, 'volumes', i];
      if (v?.secret && v.secret.optional !== true) add('Secret', v.secret.secretName, [...at, 'secret', 'secretName']);
      if (v?.configMap && v.configMap.optional !== true) add('ConfigMap', v.configMap.name, [...at, 'configMap', 'name']);
      if (v?.persistentVolumeClaim) add('PersistentVolumeClaim', v.persistentVolumeClaim.claimName, [...at, 'persistentVolumeClaim', 'claimName']);
      (v?.projected?.sources ?? []).forEach((s: Obj, j: number) => {
        if (s?.secret && s.secret.optional !== true) add('Secret', s.secret.name, [...at, 'projected', 'sources', j, 'secret', 'name']);
        if (s?.configMap && s.configMap.optional !== true) add('ConfigMap', s.configMap.name, [...at, 'projected', 'sources', j, 'configMap', 'name']);
      });
    });
    for (const type of ['initContainers', 'containers'] as const) {
      (spec[type] ?? []).forEach((c: Obj, i: number) => {
        const at = [...specPath, type, i];
        (c?.env ?? []).forEach((e: Obj, j: number) => {
          const from = e?.valueFrom;
          if (from?.secretKeyRef && from.secretKeyRef.optional !== true) add('Secret', from.secretKeyRef.name, [...at, 'env', j, 'valueFrom', 'secretKeyRef', 'name']);
          if (from?.configMapKeyRef && from.configMapKeyRef.optional !== true) add('ConfigMap', from.configMapKeyRef.name, [...at, 'env', j, 'valueFrom', 'configMapKeyRef', 'name']);
        });
        (c?.envFrom ?? []).forEach((e: Obj, j: number) => {
          if (e?.secretRef && e.secretRef.optional !== true) add('Secret', e.secretRef.name, [...at, 'envFrom', j, 'secretRef', 'name']);
          if (e?.configMapRef && e.configMapRef.optional !== true) add('ConfigMap', e.configMapRef.name, [...at, 'envFrom', j, 'configMapRef', 'name']);
        });
      });
    }
  }

  switch (kind) {
    case 'PersistentVolumeClaim':
      add('StorageClass', data.spec?.storageClassName, ['spec', 'storageClassName']);
      break;
    case 'StatefulSet':
      (data.spec?.volumeClaimTemplates ?? []).forEach((t: Obj, i: number) => add('StorageClass', t?.spec?.storageClassName, ['spec', 'volumeClaimTemplates', i, 'spec', 'storageClassName']));
      break;
    case 'Cluster':
      if (String(data.apiVersion).startsWith('postgresql.cnpg.io/')) {
        add('StorageClass', data.spec?.storage?.storageClass, ['spec', 'storage', 'storageClass']);
        add('StorageClass', data.spec?.walStorage?.storageClass, ['spec', 'walStorage', 'storageClass']);
        const s3 = data.spec?.backup?.barmanObjectStore?.s3Credentials ?? {};
        for (const field of ['accessKeyId', 'secretAccessKey', 'region', 'sessionToken'] as const) add('Secret', s3[field]?.name, ['spec', 'backup', 'barmanObjectStore', 's3Credentials', field, 'name']);
      }
      break;
    case 'ScheduledBackup':
      add('Cluster', data.spec?.cluster?.name, ['spec', 'cluster', 'name']);
      break;
    case 'KafkaNodePool': {
      const storage = data.spec?.storage ?? {};
      add('StorageClass', storage.class, ['spec', 'storage', 'class']);
      (storage.volumes ?? []).forEach((v: Obj, i: number) => add('StorageClass', v?.class, ['spec', 'storage', 'volumes', i, 'class']));
      break;
    }
    case 'KafkaMirrorMaker2': {
      // v1beta2 lists every cluster under spec.clusters; v1 has spec.target and spec.mirrors[].source.
      const clusters: Array<[Obj, Path]> = [
        ...(data.spec?.clusters ?? []).map((c: Obj, i: number): [Obj, Path] => [c, ['spec', 'clusters', i]]),
        ...(data.spec?.target ? [[data.spec.target, ['spec', 'target']] as [Obj, Path]] : []),
        ...(data.spec?.mirrors ?? []).map((m: Obj, i: number): [Obj, Path] => [m?.source, ['spec', 'mirrors', i, 'source']]),
      ];
      clusters.forEach(([c, at]) => {
        add('KafkaCluster', c?.bootstrapServers, [...at, 'bootstrapServers']);
        add('Secret', c?.authentication?.passwordSecret?.secretName, [...at, 'authentication', 'passwordSecret', 'secretName']);
        add('Secret', c?.authentication?.certificateAndKey?.secretName, [...at, 'authentication', 'certificateAndKey', 'secretName']);
        (c?.tls?.trustedCertificates ?? []).forEach((t: Obj, j: number) => add('Secret', t?.secretName, [...at, 'tls', 'trustedCertificates', j, 'secretName']));
      });
      break;
    }
    case 'Ingress': {
      const annotations = data.metadata?.annotations ?? {};
      add('ClusterIssuer', annotations['cert-manager.io/cluster-issuer'], ['metadata', 'annotations', 'cert-manager.io/cluster-issuer']);
      add('Issuer', annotations['cert-manager.io/issuer'], ['metadata', 'annotations', 'cert-manager.io/issuer']);
      add('IngressClass', data.spec?.ingressClassName, ['spec', 'ingressClassName']);
      const shim = isString(annotations['cert-manager.io/cluster-issuer']) || isString(annotations['cert-manager.io/issuer']);
      if (!shim) (data.spec?.tls ?? []).forEach((t: Obj, i: number) => add('Secret', t?.secretName, ['spec', 'tls', i, 'secretName']));
      (data.spec?.rules ?? []).forEach((r: Obj, i: number) => add('DnsZone', r?.host, ['spec', 'rules', i, 'host']));
      break;
    }
    case 'Certificate': {
      const ref = data.spec?.issuerRef ?? {};
      add(ref.kind === 'ClusterIssuer' ? 'ClusterIssuer' : 'Issuer', ref.name, ['spec', 'issuerRef', 'name']);
      break;
    }
    case 'ExternalSecret': {
      const store = data.spec?.secretStoreRef ?? {};
      add(store.kind === 'ClusterSecretStore' ? 'ClusterSecretStore' : 'SecretStore', store.name, ['spec', 'secretStoreRef', 'name']);
      (data.spec?.data ?? []).forEach((d: Obj, i: number) => {
        if (!d?.sourceRef) add('SecretStoreKey', d?.remoteRef?.key, ['spec', 'data', i, 'remoteRef', 'key']);
      });
      (data.spec?.dataFrom ?? []).forEach((d: Obj, i: number) => {
        const generator = d?.sourceRef?.generatorRef;
        if (generator) add(String(generator.kind), generator.name, ['spec', 'dataFrom', i, 'sourceRef', 'generatorRef', 'name']);
        else add('SecretStoreKey', d?.extract?.key, ['spec', 'dataFrom', i, 'extract', 'key']);
      });
      break;
    }
    case 'ClusterPolicy':
    case 'Policy':
      (data.spec?.rules ?? []).forEach((r: Obj, i: number) => {
        (r?.verifyImages ?? []).forEach((v: Obj, j: number) =>
          (v?.attestors ?? []).forEach((a: Obj, k: number) =>
            (a?.entries ?? []).forEach((e: Obj, l: number) => {
              const secret = e?.keys?.secret;
              if (secret) add('Secret', secret.name, ['spec', 'rules', i, 'verifyImages', j, 'attestors', k, 'entries', l, 'keys', 'secret', 'name'], secret.namespace ?? ns);
            })));
        const clone = r?.generate?.clone;
        if (clone) add(String(r.generate.kind), clone.name, ['spec', 'rules', i, 'generate', 'clone', 'name'], clone.namespace);
      });
      break;
    case 'Application':
      add('Namespace', data.spec?.destination?.namespace, ['spec', 'destination', 'namespace']);
      add('KubernetesCluster', data.spec?.destination?.server, ['spec', 'destination', 'server']);
      add('AppProject', data.spec?.project, ['spec', 'project']);
      break;
    case 'NetworkPolicy':
      for (const direction of ['ingress', 'egress'] as const) {
        (data.spec?.[direction] ?? []).forEach((rule: Obj, i: number) => {
          const peers = rule?.[direction === 'ingress' ? 'from' : 'to'] ?? [];
          peers.forEach((p: Obj, j: number) => {
            const name = p?.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
            add('Namespace', name, ['spec', direction, i, direction === 'ingress' ? 'from' : 'to', j, 'namespaceSelector', 'matchLabels', 'kubernetes.io/metadata.name']);
          });
        });
      }
      break;
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      (data.subjects ?? []).forEach((s: Obj, i: number) => {
        if (s?.kind === 'ServiceAccount') add('ServiceAccount', s.name, ['subjects', i, 'name'], s.namespace ?? ns);
      });
      if (data.roleRef?.kind === 'Role') add('Role', data.roleRef.name, ['roleRef', 'name']);
      if (data.roleRef?.kind === 'ClusterRole' && !String(data.roleRef.name).match(/^(view|edit|admin|cluster-admin)$|^system:/)) add('ClusterRole', data.roleRef.name, ['roleRef', 'name']);
      break;
    case 'HorizontalPodAutoscaler': {
      const target = data.spec?.scaleTargetRef ?? {};
      add(String(target.kind), target.name, ['spec', 'scaleTargetRef', 'name']);
      break;
    }
  }
  return out;
}

/** The object itself and what its operator creates from it. */
export function providedBy(doc: Doc, namespaces: readonly Doc[] = []): Provided[] {
  const data = doc.data as Obj;
  const kind = String(data.kind ?? '');
  const ns = nsOf(doc);
  const name = nameOf(doc);
  const by = `${kind}/${CLUSTER_SCOPED.has(kind) ? '' : `${ns}/`}${name}`;
  const out: Provided[] = [];
  const add = (k: string, n: unknown, namespace: string | undefined = ns) => {
    if (isString(n)) out.push({ kind: k, name: n, by, ...(CLUSTER_SCOPED.has(k) ? {} : { namespace }) });
  };
  add(kind, name);
  switch (kind) {
    case 'Namespace':
      for (const always of ALWAYS_PRESENT) add(always.kind, always.name, name);
      break;
    case 'KafkaUser':
      add('Secret', name);
      break;
    case 'Kafka':
      for (const suffix of ['cluster-ca-cert', 'cluster-ca', 'clients-ca-cert', 'clients-ca']) add('Secret', `${name}-${suffix}`);
      // Strimzi's bootstrap Service, reached by in-cluster clients on each listener's port.
      for (const l of data.spec?.kafka?.listeners ?? []) {
        for (const host of [`${name}-kafka-bootstrap.${ns}.svc`, `${name}-kafka-bootstrap.${ns}.svc.cluster.local`]) add('KafkaCluster', `${host}:${l?.port}`);
      }
      break;
    case 'Certificate':
      add('Secret', data.spec?.secretName);
      break;
    case 'ExternalSecret':
      add('Secret', data.spec?.target?.name ?? name);
      break;
    case 'Cluster':
      if (String(data.apiVersion).startsWith('postgresql.cnpg.io/')) {
        for (const suffix of ['app', 'superuser', 'ca', 'server', 'replication']) add('Secret', `${name}-${suffix}`);
        // The instances run as a ServiceAccount named after the cluster.
        add('ServiceAccount', name);
      }
      break;
    case 'StatefulSet': {
      const replicas = Number(data.spec?.replicas ?? 1);
      for (const t of data.spec?.volumeClaimTemplates ?? []) {
        for (let i = 0; i < replicas; i++) add('PersistentVolumeClaim', `${t?.metadata?.name}-${name}-${i}`);
      }
      break;
    }
    case 'Ingress': {
      const annotations = data.metadata?.annotations ?? {};
      if (isString(annotations['cert-manager.io/cluster-issuer']) || isString(annotations['cert-manager.io/issuer'])) {
        for (const t of data.spec?.tls ?? []) add('Secret', t?.secretName);
      }
      break;
    }
    case 'ClusterPolicy':
      for (const r of data.spec?.rules ?? []) {
        const generate = r?.generate;
        if (!generate || !isString(generate.kind) || !isString(generate.name)) continue;
        if (isString(generate.namespace) && !generate.namespace.includes('{{')) {
          add(generate.kind, generate.name, generate.namespace);
          continue;
        }
        // A templated namespace: the object is generated in every rendered namespace the rule matches.
        for (const target of namespaces) if (ruleMatchesNamespace(r, target)) add(generate.kind, generate.name, nameOf(target));
      }
      break;
  }
  return out;
}

function ruleMatchesNamespace(rule: Obj, namespace: Doc): boolean {
  const labels: Record<string, string> = (namespace.data.metadata?.labels ?? {}) as Record<string, string>;
  const blocks: Obj[] = [...(rule.match?.any ?? []), ...(rule.match?.all ?? []), ...(rule.match?.resources ? [rule.match] : [])];
  return blocks.some((b) => {
    const res = b?.resources ?? {};
    if (!(res.kinds ?? []).includes('Namespace')) return false;
    if (Array.isArray(res.names) && !res.names.includes(nameOf(namespace))) return false;
    const selector = res.selector;
    if (selector?.matchLabels && !Object.entries(selector.matchLabels).every(([k, v]) => labels[k] === v)) return false;
    return true;
  });
}

/** Externals that stand for many names: a `*` in a secret store key, a DNS zone and every host under it. */
function matchesPattern(external: ExternalObject, ref: ObjectKey): boolean {
  if (external.kind !== ref.kind || (external.namespace ?? undefined) !== (CLUSTER_SCOPED.has(ref.kind) ? undefined : ref.namespace)) return false;
  if (ref.kind === 'DnsZone') return ref.name === external.name || ref.name.endsWith(`.${external.name}`);
  if (!external.name.includes('*')) return false;
  const pattern = external.name.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${pattern}$`).test(ref.name);
}

/** Whether an object exists: rendered, created by a rendered operator, present in every cluster, or declared external. */
export function providedObjects(docs: readonly Doc[], externals: readonly ExternalObject[] = []): (ref: ObjectKey) => boolean {
  const namespaces = docs.filter((d) => d.data.kind === 'Namespace');
  const provided = new Set<string>();
  provided.add(keyOf({ kind: 'KubernetesCluster', name: IN_CLUSTER_SERVER }));
  for (const name of BUILT_IN_NAMESPACES) {
    provided.add(keyOf({ kind: 'Namespace', name }));
    for (const always of ALWAYS_PRESENT) provided.add(keyOf({ ...always, namespace: name }));
  }
  for (const external of externals) {
    provided.add(keyOf(external));
    if (external.kind === 'Namespace') for (const always of ALWAYS_PRESENT) provided.add(keyOf({ ...always, namespace: external.name }));
  }
  for (const doc of docs) for (const p of providedBy(doc, namespaces)) provided.add(keyOf(p));
  return (ref) => provided.has(keyOf(ref)) || externals.some((e) => matchesPattern(e, ref));
}

/** Every reference in `docs` that no rendered object, operator-created object or declared external provides. */
export function danglingReferences(docs: readonly Doc[], externals: readonly ExternalObject[] = []): DanglingReference[] {
  const exists = providedObjects(docs, externals);
  const out: DanglingReference[] = [];
  for (const doc of docs) {
    for (const ref of referencesOf(doc)) {
      if (exists(ref)) continue;
      const where = ref.namespace ? ` in namespace ${ref.namespace}` : '';
      out.push({ ...ref, message: `${ref.kind} "${ref.name}"${where} is neither rendered, created by a rendered operator, nor declared external` });
    }
  }
  return out;
}
