// The proof obligations of the compliance mapping: every control of the catalog is mapped; an implemented or
// partial one names evidence that exists (rendered objects under rendered/<env>/, repository files) and test
// files that exist; a waived or not-applicable one has a reason and an owner. Returns every problem at once.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import type { ControlMapping } from './types.ts';

/** `Kind/namespace/name` (or `Kind/name`) of every object under rendered/<env>/, per environment. */
export function renderedObjects(renderedDir: string): Map<string, Set<string>> {
  const byEnv = new Map<string, Set<string>>();
  for (const env of readdirSync(renderedDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)) {
    const refs = new Set<string>();
    for (const entry of readdirSync(join(renderedDir, env), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.yaml')) continue;
      const object = load(readFileSync(join(entry.parentPath, entry.name), 'utf8')) as { kind?: string; metadata?: { name?: string; namespace?: string } } | null;
      if (!object?.kind || !object.metadata?.name) continue;
      refs.add([object.kind, object.metadata.namespace, object.metadata.name].filter(Boolean).join('/'));
    }
    byEnv.set(env, refs);
  }
  return byEnv;
}

export function complianceProblems(ids: readonly string[], controls: Readonly<Record<string, ControlMapping>>, repo: string, rendered: Map<string, Set<string>>): string[] {
  const problems: string[] = [];
  const known = new Set(ids);
  for (const id of ids) if (!controls[id]) problems.push(`${id}: not mapped in compliance/controls.ts (give it evidence and tests, or a waiver with a reason and an owner)`);
  for (const [id, mapping] of Object.entries(controls)) {
    if (!known.has(id)) problems.push(`${id}: mapped, but the control catalog has no such control`);
    if (!('evidence' in mapping)) {
      if (!mapping.reason.trim()) problems.push(`${id}: ${mapping.status} without a reason`);
      if (!mapping.owner.trim()) problems.push(`${id}: ${mapping.status} without an owner`);
      continue;
    }
    if (mapping.evidence.length === 0) problems.push(`${id}: ${mapping.status} without evidence (a rendered object or a file)`);
    if (mapping.tests.length === 0) problems.push(`${id}: ${mapping.status} without a test that proves it`);
    if (!mapping.note.trim()) problems.push(`${id}: ${mapping.status} without a note`);
    for (const test of mapping.tests) {
      if (!/\.test\.ts$/.test(test)) problems.push(`${id}: "${test}" is not a test file`);
      else if (!existsSync(join(repo, test))) problems.push(`${id}: test ${test} does not exist`);
    }
    for (const evidence of mapping.evidence) {
      if ('code' in evidence) {
        if (!existsSync(join(repo, evidence.code))) problems.push(`${id}: file ${evidence.code} does not exist`);
        continue;
      }
      const envs = evidence.env ? [evidence.env] : [...rendered.keys()];
      if (evidence.env && !rendered.has(evidence.env)) problems.push(`${id}: no rendered environment "${evidence.env}"`);
      else if (!envs.some((env) => rendered.get(env)!.has(evidence.rendered))) problems.push(`${id}: ${evidence.rendered} is not rendered${evidence.env ? ` in ${evidence.env}` : ' in any environment'}`);
    }
  }
  return problems;
}
