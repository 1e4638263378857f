// Shared shape of the Pod Security Standards rules: each checks the pod spec of every workload.
import type { Doc } from './documents.ts';
import { perDocument, type Rule } from './rule.ts';
import { containersOf, podOf, type ContainerRef, type Path, type PodRef } from './workloads.ts';

export type PssFinding = { path: Path; message: string };

/** `check` receives each workload's pod; Pods, templates of Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs, Rollouts. */
export function podCheck(check: (pod: PodRef, doc: Doc) => PssFinding[]): Rule['check'] {
  return perDocument((doc) => {
    const pod = podOf(doc);
    return pod ? check(pod, doc) : [];
  });
}

/** Check every container (containers, initContainers, ephemeralContainers). */
export function eachContainer(pod: PodRef, fn: (c: ContainerRef) => PssFinding | PssFinding[] | null | undefined): PssFinding[] {
  return containersOf(pod).flatMap((c) => fn(c) ?? []);
}

export const containerName = (c: ContainerRef) => `${c.type === 'containers' ? 'container' : c.type.replace(/s$/, '')} "${c.c.name ?? '?'}"`;

/** Enforced in the cluster by Pod Security Admission labels, not by a Kyverno policy. */
export const PSA_ENFORCED = {
  ciOnly: 'enforced at admission by Pod Security Admission: every namespace is labelled pod-security.kubernetes.io/enforce=restricted (rule platform/namespace-pod-security)',
};
