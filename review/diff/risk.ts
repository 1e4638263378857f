// Risk flags of a change set, each with its reason: production, security-relevant, potentially
// destructive. (Capacity is computed from whole environments: capacity.ts.)
import type { FieldChange, ResourceChange, RiskFlag, SnapshotWaiver } from './types.ts';

const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);
const NETWORK_KINDS = new Set([
  'networking.k8s.io/NetworkPolicy', 'cilium.io/CiliumNetworkPolicy', 'cilium.io/CiliumClusterwideNetworkPolicy',
  'security.istio.io/AuthorizationPolicy', 'security.istio.io/PeerAuthentication',
]);
const ADMISSION_KINDS = new Set([
  'kyverno.io/ClusterPolicy', 'kyverno.io/Policy', 'kyverno.io/PolicyException',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy', 'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration', 'admissionregistration.k8s.io/MutatingWebhookConfiguration',
]);
/** Pod and container fields that decide what a pod may do on its node and in the cluster. */
const POD_SECURITY_FIELD = /(^|\.)(securityContext|hostNetwork|hostPID|hostIPC|hostUsers|automountServiceAccountToken|serviceAccountName|shareProcessNamespace)(\.|\[|$)|\.hostPath(\.|$)|\.hostPort$/;
export const WAIVER_ANNOTATION = 'waivers.gamemetrics.dev/';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const show = (value: unknown) => (value === undefined ? '(none)' : typeof value === 'string' ? value : JSON.stringify(value));
const fieldText = (f: FieldChange) => (f.op === 'changed' ? `${f.path} ${show(f.old)} → ${show(f.new)}` : f.op === 'added' ? `${f.path} added` : `${f.path} removed`);
const listFields = (fields: FieldChange[], max = 3) =>
  fields.slice(0, max).map(fieldText).join('; ') + (fields.length > max ? `; and ${fields.length - max} more` : '');

interface Acl {
  resource?: { type?: string; name?: string; patternType?: string };
  operations?: string[];
  operation?: string;
  host?: string;
  type?: string;
}

/** Each permission of a KafkaUser as `Read on topic player.events.raw` (`*` marks a prefix pattern). */
function permissions(acls: unknown): string[] {
  return ((acls ?? []) as Acl[]).flatMap((acl) => {
    const ops = acl.operations ?? (acl.operation ? [acl.operation] : []);
    const target = `${acl.resource?.type ?? '?'} ${acl.resource?.name ?? '*'}${acl.resource?.patternType === 'prefix' ? '*' : ''}`;
    return ops.map((op) => `${acl.type === 'deny' ? 'deny ' : ''}${op} on ${target}`);
  });
}

/** `Read, Describe on topic a; Write on topic b`: permissions grouped by what they apply to. */
function groupPermissions(list: string[]): string {
  const byTarget = new Map<string, string[]>();
  for (const p of list) {
    const [op, target] = p.split(' on ');
    byTarget.set(target, [...(byTarget.get(target) ?? []), op]);
  }
  return [...byTarget].map(([target, ops]) => `${ops.join(', ')} on ${target}`).join('; ');
}

const aclsOf = (object?: ResourceChange['object']) => (object?.spec as { authorization?: { acls?: unknown } } | undefined)?.authorization?.acls;

function kafkaUserFlag(change: ResourceChange, before: unknown, after: unknown): string | undefined {
  if (change.status === 'added') {
    const granted = permissions(aclsOf(change.object));
    return `new Kafka user with ${plural(granted.length, 'ACL permission')}: ${groupPermissions(granted) || 'none'}`;
  }
  if (change.status === 'removed') return 'Kafka user removed: its credentials stop working';
  const security = change.fields.filter((f) => /^spec\.(authorization|authentication)/.test(f.path));
  if (security.length === 0) return undefined;
  const old = new Set(permissions(before));
  const now = new Set(permissions(after));
  const granted = [...now].filter((a) => !old.has(a));
  const revoked = [...old].filter((a) => !now.has(a));
  const parts = [granted.length ? `grants ${groupPermissions(granted)}` : '', revoked.length ? `revokes ${groupPermissions(revoked)}` : ''].filter(Boolean);
  return `Kafka ACLs change: ${parts.join('; ') || listFields(security)}`;
}

function securityReasons(change: ResourceChange, before?: ResourceChange['object'], after?: ResourceChange['object']): string[] {
  const { group, kind } = change.id;
  const gk = `${group}/${kind}`;
  const reasons: string[] = [];
  const verb = change.status;
  // A label or annotation edit does not change what a policy allows: only its spec counts.
  const spec = change.fields.filter((f) => f.path.startsWith('spec'));
  const touched = verb !== 'changed' || spec.length > 0;
  if (group === 'rbac.authorization.k8s.io' && RBAC_KINDS.has(kind) && (verb !== 'changed' || change.fields.some((f) => /^(rules|subjects|roleRef|aggregationRule)/.test(f.path)))) reasons.push(`RBAC ${kind} ${verb}: it changes who may do what through the Kubernetes API`);
  if (NETWORK_KINDS.has(gk) && touched) {
    reasons.push(`${kind} ${verb}: it changes which traffic is allowed${verb === 'changed' ? ` (${listFields(spec)})` : ''}`);
  }
  if (gk === 'kafka.strimzi.io/KafkaUser') {
    const reason = kafkaUserFlag(change, aclsOf(before), aclsOf(after));
    if (reason) reasons.push(reason);
  }
  if (ADMISSION_KINDS.has(gk) && touched) reasons.push(`admission policy ${kind} ${verb}: it changes what the cluster admits`);
  if (gk === 'argoproj.io/AppProject' && verb !== 'added' && touched) {
    reasons.push(`Argo CD project ${verb}: it changes where and what the project may deploy${verb === 'changed' ? ` (${listFields(spec)})` : ''}`);
  }
  if (verb === 'changed') {
    const pod = change.fields.filter((f) => POD_SECURITY_FIELD.test(f.path));
    if (pod.length > 0) reasons.push(`pod security fields change: ${listFields(pod)}`);
    const waivers = change.fields.filter((f) => f.path.startsWith(`metadata.annotations["${WAIVER_ANNOTATION}`));
    if (waivers.length > 0) reasons.push(`policy waiver annotation changes: ${listFields(waivers)}`);
  } else if (change.object) {
    const annotations = Object.keys(change.object.metadata.annotations ?? {}).filter((a) => a.startsWith(WAIVER_ANNOTATION));
    if (annotations.length > 0) reasons.push(`${verb} with policy waiver annotation(s): ${annotations.join(', ')}`);
  }
  return reasons;
}

function destructiveReasons(change: ResourceChange): string[] {
  const { group, kind } = change.id;
  const reasons: string[] = [];
  if (change.status === 'removed') {
    if (group === '' && kind === 'PersistentVolumeClaim') reasons.push('PersistentVolumeClaim deleted: its volume and data go with it (reclaim policy Delete)');
    if (group === '' && kind === 'Namespace') reasons.push('Namespace deleted: every object in it is deleted too');
    if (group === 'apiextensions.k8s.io' && kind === 'CustomResourceDefinition') reasons.push('CustomResourceDefinition removed: every custom resource of that kind is deleted');
    if (group === 'kafka.strimzi.io' && kind === 'KafkaTopic') reasons.push('KafkaTopic deleted: the Topic Operator deletes the topic and its records');
    return reasons;
  }
  if (change.status !== 'changed') return reasons;
  const at = (path: string) => change.fields.filter((f) => f.path === path || f.path.startsWith(`${path}.`) || f.path.startsWith(`${path}[`));
  if (group === 'kafka.strimzi.io' && kind === 'KafkaTopic') {
    const partitions = change.fields.find((f) => f.path === 'spec.partitions');
    if (partitions && typeof partitions.old === 'number' && typeof partitions.new === 'number' && partitions.new < partitions.old) {
      reasons.push(`fewer partitions (${partitions.old} → ${partitions.new}): Kafka cannot remove partitions, so the Topic Operator rejects the change; getting there means recreating the topic, losing its records and per-key ordering`);
    }
  }
  if (group === 'apps' && (kind === 'Deployment' || kind === 'StatefulSet') && at('spec.selector').length > 0) {
    reasons.push(`${kind} selector changed (${listFields(at('spec.selector'))}): the selector is immutable, so the sync fails until the ${kind} is deleted and recreated`);
  }
  if (group === 'apps' && kind === 'StatefulSet' && at('spec.volumeClaimTemplates').length > 0) {
    reasons.push(`StatefulSet volumeClaimTemplates changed (${listFields(at('spec.volumeClaimTemplates'))}): they are immutable, so the StatefulSet must be recreated, and existing PVCs are not changed`);
  }
  return reasons;
}

const waiverKey = (w: SnapshotWaiver) => `${w.rule} for ${w.target}`;

/** Waivers added, removed or changed in one environment (from the loaded models: waivers are not rendered). */
export function waiverFlags(env: string, before: SnapshotWaiver[], after: SnapshotWaiver[]): RiskFlag[] {
  const old = new Map(before.map((w) => [waiverKey(w), w]));
  const now = new Map(after.map((w) => [waiverKey(w), w]));
  const flags: RiskFlag[] = [];
  const describe = (w: SnapshotWaiver) => `expires ${w.expires}, approved by ${w.approvedBy}: “${w.reason}”`;
  for (const [key, w] of now) {
    const previous = old.get(key);
    if (!previous) flags.push({ category: 'security', env, reason: `waiver added: ${key} (${describe(w)})` });
    else if (JSON.stringify(previous) !== JSON.stringify(w)) flags.push({ category: 'security', env, reason: `waiver changed: ${key} (${describe(w)}; was ${describe(previous)})` });
  }
  for (const [key] of old) if (!now.has(key)) flags.push({ category: 'security', env, reason: `waiver removed: ${key} (the rule applies again)` });
  return flags;
}

/** Security and destructive flags of one resource change; `before`/`after` are the two objects of a change. */
export function resourceFlags(change: ResourceChange, before?: ResourceChange['object'], after?: ResourceChange['object']): RiskFlag[] {
  return [
    ...securityReasons(change, before, after).map((reason): RiskFlag => ({ category: 'security', env: change.env, ref: change.ref, reason })),
    ...destructiveReasons(change).map((reason): RiskFlag => ({ category: 'destructive', env: change.env, ref: change.ref, reason })),
  ];
}

/** One flag per production environment with changes. */
export function productionFlag(env: string, tier: string, counts: { added: number; changed: number; removed: number }, waivers: number): RiskFlag | undefined {
  const total = counts.added + counts.changed + counts.removed;
  if (tier !== 'production' || total + waivers === 0) return undefined;
  const what = [
    total > 0 ? `${plural(total, 'resource')} (${counts.added} added, ${counts.changed} changed, ${counts.removed} removed)` : '',
    waivers > 0 ? plural(waivers, 'waiver') : '',
  ].filter(Boolean).join(' and ');
  return { category: 'prod', env, reason: `${what} change in ${env}, a production environment` };
}
