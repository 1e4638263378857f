// What the compiled validators are made from, each input with a short fingerprint (package version or content hash),
// and one hash over all of them: the key of a build, and how policy-tests/validators/ is known to be current.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { API_CHANGES } from './api-lifecycle.ts';
import { MODEL_PACKAGES } from './packages.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = join(here, '..', '..', '..');
export const NODE_MODULES = join(REPO_ROOT, 'node_modules');
/** Schemas kept in this repository (CRDs no npm package carries): `<group>/<version>/<Kind>.json`. */
export const REPO_SCHEMAS_DIR = join(REPO_ROOT, 'policy-tests', 'schemas');

/** Packages besides the model packages whose code shapes the result (validators probed by refine.ts, ajv, ts-morph). */
const TOOL_PACKAGES = ['@kubernetes-models/base', '@kubernetes-models/validate', '@kubernetes-models/apimachinery', 'ajv', 'ts-morph'];
/** The build's own code. */
const BUILD_SOURCES = ['build.ts', 'extract.ts', 'refine.ts', 'packages.ts', 'inputs.ts'];

function listRepoSchemas(dir = REPO_SCHEMAS_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) return listRepoSchemas(p);
      return f.endsWith('.json') ? [p] : [];
    });
}

/** The repo schemas as `<apiVersion>/<kind>` -> schema; the path gives group, version and kind. */
export function readRepoSchemas(): Record<string, object> {
  const out: Record<string, object> = {};
  for (const file of listRepoSchemas()) {
    const [group, version, kindFile] = relative(REPO_SCHEMAS_DIR, file).split(sep);
    const schema = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    delete schema.$comment;
    out[`${group}/${version}/${kindFile.replace(/\.json$/, '')}`] = schema;
  }
  return out;
}

/** apiVersions no cluster serves any more: rejected before any schema is consulted, so not compiled. */
export function unservedApiVersions(): string[] {
  return [...new Set(API_CHANGES.filter((c) => c.removedIn === 0 && !c.kinds).map((c) => c.apiVersion))].sort();
}

const digest = (data: string | Buffer) => createHash('sha256').update(data).digest('hex').slice(0, 16);
const repoPath = (file: string) => relative(REPO_ROOT, file).split(sep).join('/');

/** Every input, named (`package <name>`, `file <repo path>`, `unserved apiVersions`) -> version or content hash. */
export function currentInputs(): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const p of [...MODEL_PACKAGES, ...TOOL_PACKAGES]) {
    const manifest = join(NODE_MODULES, p, 'package.json');
    inputs[`package ${p}`] = existsSync(manifest) ? String(JSON.parse(readFileSync(manifest, 'utf8')).version) : 'not installed';
  }
  for (const f of BUILD_SOURCES) inputs[`file ${repoPath(join(here, f))}`] = digest(readFileSync(join(here, f)));
  for (const f of listRepoSchemas()) inputs[`file ${repoPath(f)}`] = digest(readFileSync(f));
  inputs['unserved apiVersions'] = digest(unservedApiVersions().join('\n'));
  return inputs;
}

/** One hash over all inputs (the name of a build). */
export const inputsHash = (inputs: Record<string, string>) =>
  digest(
    Object.entries(inputs)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
  );

/** What differs between two input sets, for a person: `kubernetes-models 5.1.0 → 5.2.0`, `policy-tests/… changed`. */
export function describeChanges(before: Record<string, string>, after: Record<string, string>): string[] {
  const out: string[] = [];
  for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const [was, now] = [before[key], after[key]];
    if (was === now) continue;
    const name = key.replace(/^(package|file) /, '');
    if (key.startsWith('package ')) out.push(`${name} ${was ?? 'absent'} → ${now ?? 'absent'}`);
    else out.push(`${name} ${was === undefined ? 'added' : now === undefined ? 'removed' : 'changed'}`);
  }
  return out;
}
