// The PromQL other rendered objects read, for the metric-name check: every dashboard panel's target
// (the dashboard ConfigMaps' JSON) and every AnalysisTemplate's query.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { RENDERED_ROOT } from './rendered-rules.ts';
import { inFurtherRegion } from './rendered-rules.ts';

export interface Query {
  where: string;
  expr: string;
}

type Obj = { kind?: string; metadata?: { name?: string; labels?: Record<string, string> }; data?: Record<string, string>; spec?: { metrics?: Array<{ name: string; provider?: { prometheus?: { query?: string } } }> } };

function exprsIn(value: unknown, out: string[]): void {
  if (Array.isArray(value)) for (const v of value) exprsIn(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'expr' && typeof v === 'string' && v.trim()) out.push(v);
      else exprsIn(v, out);
    }
  }
}

/** Dashboard targets and analysis queries of one rendered environment, each named by file and place. */
export function renderedQueries(env: string, root = RENDERED_ROOT): Query[] {
  const dir = join(root, env);
  const queries: Query[] = [];
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && (e.name.startsWith('configmap-dashboard-') || e.name.startsWith('analysistemplate-')) && e.name.endsWith('.yaml') && !inFurtherRegion(dir, e.parentPath))
    .map((e) => join(e.parentPath, e.name))
    .sort();
  for (const file of files) {
    const object = parse(readFileSync(file, 'utf8')) as Obj;
    const where = relative(join(root, '..'), file);
    if (object.kind === 'AnalysisTemplate') {
      for (const m of object.spec?.metrics ?? []) if (m.provider?.prometheus?.query) queries.push({ where: `${where} ${m.name}`, expr: m.provider.prometheus.query });
    } else {
      for (const [key, json] of Object.entries(object.data ?? {})) {
        const found: string[] = [];
        exprsIn(JSON.parse(json), found);
        found.forEach((expr, i) => queries.push({ where: `${where} ${key}#${i}`, expr }));
      }
    }
  }
  return queries;
}
