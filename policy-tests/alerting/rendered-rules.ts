// The Prometheus rules an environment renders: every PrometheusRule under rendered/<env>/ (the catalog's and
// any other generator's, such as the SLO rules), with each rule group and the alerts in it.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { REGIONS_FOLDER } from '../../model/load/regions.ts';

export const RENDERED_ROOT = join(import.meta.dirname, '..', '..', 'rendered');

export interface RenderedRule {
  alert?: string;
  record?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
export interface RenderedRuleGroup {
  name: string;
  rules: RenderedRule[];
}
export interface RenderedRuleFile {
  /** Path relative to the repository, `rendered/<env>/...`. */
  path: string;
  /** metadata.name of the PrometheusRule. */
  name: string;
  groups: RenderedRuleGroup[];
}

/** Environments under rendered/. */
export function renderedEnvironments(root = RENDERED_ROOT): string[] {
  return readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

/** Whether a rendered file lies in a further region's tree (`rendered/<env>/regions/<region>/`). */
export function inFurtherRegion(dir: string, parentPath: string): boolean {
  return relative(dir, parentPath).split(/[/\\]/)[0] === REGIONS_FOLDER;
}

/**
 * Every PrometheusRule of one environment, sorted by path. A further region renders the same catalog for its own
 * Prometheus (generators/argocd/regions.test.ts), so the environment's is its primary region's.
 */
export function renderedRuleFiles(env: string, root = RENDERED_ROOT): RenderedRuleFile[] {
  const dir = join(root, env);
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.startsWith('prometheusrule-') && e.name.endsWith('.yaml') && !inFurtherRegion(dir, e.parentPath))
    .map((e) => join(e.parentPath, e.name))
    .sort()
    .map((file) => {
      const object = parse(readFileSync(file, 'utf8')) as { kind: string; metadata: { name: string }; spec: { groups: RenderedRuleGroup[] } };
      return { path: relative(join(root, '..'), file), name: object.metadata.name, groups: object.spec.groups };
    });
}

/** Every alerting rule of the files, with the file it is in. */
export function alertingRules(files: readonly RenderedRuleFile[]): Array<RenderedRule & { alert: string; file: string }> {
  return files.flatMap((f) => f.groups.flatMap((g) => g.rules.filter((r): r is RenderedRule & { alert: string } => typeof r.alert === 'string').map((r) => ({ ...r, file: f.path }))));
}
