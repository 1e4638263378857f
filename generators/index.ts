// All generators, composed: run each, then the Argo CD generator over their output, and refuse
// conflicts (two files at one path, or one object rendered twice).
import type { LoadedModel } from '../model/loaded.ts';
import { argocd } from './argocd.ts';
import { autoscalers } from './autoscalers.ts';
import { configMaps } from './config-maps.ts';
import { disruptionBudgets } from './disruption-budgets.ts';
import { ingresses } from './ingresses.ts';
import { kyvernoPolicies } from './kyverno-policies.ts';
import { kafkaCaTrust } from './kafka-ca-trust.ts';
import { kafkaCluster } from './kafka-cluster.ts';
import { kafkaMirror } from './kafka-mirror.ts';
import { kafkaNetwork } from './kafka-network.ts';
import { kafkaTopics } from './kafka-topics.ts';
import { kafkaUsers } from './kafka-users.ts';
import { namespaceGuardrails } from './namespace-guardrails.ts';
import { namespaces } from './namespaces.ts';
import { networkPolicies } from './network-policies.ts';
import { serviceAccounts } from './service-accounts.ts';
import { services } from './services.ts';
import type { Generator, OutputFile } from './types.ts';
import { workloads } from './workloads.ts';

/** One generator per concern, in no particular order: output is sorted by path. */
export const generators: Record<string, Generator> = {
  namespaces,
  namespaceGuardrails,
  serviceAccounts,
  configMaps,
  workloads,
  services,
  autoscalers,
  disruptionBudgets,
  ingresses,
  networkPolicies,
  kafkaCluster,
  kafkaNetwork,
  kafkaTopics,
  kafkaUsers,
  kafkaMirror,
  kafkaCaTrust,
  kyvernoPolicies,
};

export class RenderConflictError extends Error {
  readonly conflicts: string[];
  constructor(conflicts: string[]) {
    super(`generators produced conflicting output:\n${conflicts.map((c) => `  - ${c}`).join('\n')}`);
    this.name = 'RenderConflictError';
    this.conflicts = conflicts;
  }
}

/** Every file of one environment, sorted by path. */
export function generate(model: LoadedModel, selected: Record<string, Generator> = generators): OutputFile[] {
  const files: OutputFile[] = [];
  for (const generator of Object.values(selected)) files.push(...generator({ model }));
  refuseConflicts(files);
  files.push(...argocd({ model }, files));
  refuseConflicts(files);
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function refuseConflicts(files: readonly OutputFile[]): void {
  const conflicts: string[] = [];
  const byPath = new Map<string, OutputFile>();
  const byIdentity = new Map<string, OutputFile>();
  for (const file of files) {
    const previous = byPath.get(file.path);
    if (previous) conflicts.push(`${file.path} is written from both ${previous.source} and ${file.source}`);
    byPath.set(file.path, file);
    const { apiVersion, kind, metadata } = file.object;
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
    const identity = `${group}/${kind}/${metadata.namespace ?? ''}/${metadata.name}`;
    const twin = byIdentity.get(identity);
    if (twin) conflicts.push(`${kind} ${metadata.namespace ? `${metadata.namespace}/` : ''}${metadata.name} is rendered twice: ${twin.path} and ${file.path}`);
    byIdentity.set(identity, file);
  }
  if (conflicts.length > 0) throw new RenderConflictError(conflicts);
}
