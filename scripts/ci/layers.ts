// The repository's layers, lowest first, and the check that no source file imports a higher layer.
// Data flows one way: model → environments → policy catalog → generators → render → review/checks → entry points;
// test support (fixtures) sits above them all: only tests import it.
import { dirname, join, normalize } from 'node:path';

export interface Layer {
  name: string;
  /** Layers of equal rank may import each other; a file may import only its own rank or lower. */
  rank: number;
}

const MODEL: Layer = { name: 'model', rank: 0 };
const ENVIRONMENTS: Layer = { name: 'environments', rank: 1 };
const POLICY_CATALOG: Layer = { name: 'policy catalog (policy-tests/rules and what they build on)', rank: 2 };
const GENERATORS: Layer = { name: 'generators', rank: 3 };
const RENDER: Layer = { name: 'render', rank: 4 };
const CHECKS: Layer = { name: 'review and policy checks', rank: 5 };
const ENTRY_POINTS: Layer = { name: 'entry points, benchmarks and test harness', rank: 6 };
/** Test data and its builders (policy-tests/fixtures): only tests import them, so nothing that renders or checks loads them. */
const TEST_SUPPORT: Layer = { name: 'test support (policy-tests/fixtures)', rank: 7 };
/** The services: a world of their own that imports nothing from the configuration side. */
const SERVICES: Layer = { name: 'services (apps/)', rank: -1 };

/** policy-tests/lib files the rule catalog is built on (the rest of policy-tests/lib runs the checks). */
const CATALOG_LIBS = new Set(['rule', 'documents', 'findings', 'workloads', 'pss', 'kyverno', 'probes', 'scaling', 'images', 'references'].map((f) => `policy-tests/lib/${f}.ts`));

/** The model's declarations: only the entry layers bind them to the loader (render/sources.ts). */
export const MODEL_DATA = ['model/platform.ts', 'model/tenants/', 'model/topics.ts', 'model/datastores.ts', 'model/components.ts', 'model/policies.ts', 'model/externals.ts', 'model/observability.ts'];

/** The layer of a repository-relative path, or null for files outside every layer (tests are checked apart). */
export function layerOf(path: string): Layer | null {
  const top = path.split('/')[0];
  switch (top) {
    case 'model': return MODEL;
    case 'environments': return ENVIRONMENTS;
    case 'generators': return GENERATORS;
    case 'render': return RENDER;
    // The compliance mapping and report: generated with the docs by the render.
    case 'compliance': return RENDER;
    case 'review': return CHECKS;
    case 'scripts': return ENTRY_POINTS;
    case 'policy-tests':
      if (path.startsWith('policy-tests/fixtures/')) return TEST_SUPPORT;
      return path.startsWith('policy-tests/rules/') || CATALOG_LIBS.has(path) ? POLICY_CATALOG : CHECKS;
    case 'apps':
      return path.startsWith('apps/test/') || path.startsWith('apps/dev/') ? ENTRY_POINTS : SERVICES;
    default: return null;
  }
}

const importPattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)'(\.{1,2}\/[^']+)'/g;

/** Relative import specifiers of a source text (static, side-effect and dynamic imports with a literal path). */
export function relativeImports(source: string): string[] {
  return [...source.matchAll(importPattern)].map((m) => m[1]);
}

/** Every file `entry` imports, directly or through other files of `files` (path → source), `entry` included. */
export function reachableFrom(entry: string, files: ReadonlyMap<string, string>): Set<string> {
  const seen = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = files.get(file);
    if (source === undefined) continue;
    for (const specifier of relativeImports(source)) pending.push(normalize(join(dirname(file), specifier)));
  }
  return seen;
}

export interface Violation {
  file: string;
  imports: string;
  reason: string;
}

/** Every import in `files` (path → source) that breaks the layering. Test files are not checked. */
export function layerViolations(files: ReadonlyMap<string, string>): Violation[] {
  const violations: Violation[] = [];
  for (const [file, source] of files) {
    if (file.endsWith('.test.ts')) continue;
    const from = layerOf(file);
    if (!from) continue;
    for (const specifier of relativeImports(source)) {
      const target = normalize(join(dirname(file), specifier));
      const to = layerOf(target);
      if (from === SERVICES || to === SERVICES) {
        if (from === SERVICES && to !== SERVICES) violations.push({ file, imports: target, reason: `the services import nothing outside apps/ (${to?.name ?? 'outside every layer'})` });
        continue;
      }
      if (!to) {
        violations.push({ file, imports: target, reason: 'imports a file outside every layer' });
      } else if (to.rank > from.rank) {
        violations.push({ file, imports: target, reason: `${from.name} may not import ${to.name}, a higher layer` });
      } else if (file.startsWith('model/') && !MODEL_DATA.some((d) => file.startsWith(d)) && MODEL_DATA.some((d) => target.startsWith(d))) {
        violations.push({ file, imports: target, reason: 'the loader and the model checks receive the declarations as arguments; they do not import them' });
      }
    }
  }
  return violations;
}
