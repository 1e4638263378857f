// Compiles the kind schemas once into standalone ajv validator code, cached outside git
// (node_modules/.cache/gamemetrics-validate/<hash>/), so a run only imports ready-made functions.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import module from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import standalone from 'ajv/dist/standalone/index.js';
import { API_CHANGES } from './api-lifecycle.ts';
import type { KindSchemaBundle } from './extract.ts';
import { MODEL_PACKAGES } from './packages.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = join(here, '..', '..', '..');
/** Schemas kept in this repository (CRDs no npm package carries): `<group>/<version>/<Kind>.json`. */
export const REPO_SCHEMAS_DIR = join(REPO_ROOT, 'policy-tests', 'schemas');
const NODE_MODULES = join(REPO_ROOT, 'node_modules');
const CACHE_ROOT = join(NODE_MODULES, '.cache', 'gamemetrics-validate');

export type ValidateFn = ((data: unknown) => boolean) & { errors?: AjvError[] | null };
export interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}
export interface CompiledSchemas {
  /** Every `<apiVersion>/<kind>` that has a schema. */
  kinds: Set<string>;
  /** `<apiVersion>/<kind>` -> validator, for the kinds loaded so far (see loadSchemas). */
  validators: Map<string, ValidateFn>;
  /** The schemas themselves, to explain errors (allowed fields, suggestions). */
  bundle: KindSchemaBundle;
}

function listRepoSchemas(dir = REPO_SCHEMAS_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
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

function cacheKey(): string {
  const h = createHash('sha256');
  for (const p of MODEL_PACKAGES) h.update(`${p}@${JSON.parse(readFileSync(join(NODE_MODULES, p, 'package.json'), 'utf8')).version}\n`);
  h.update(JSON.parse(readFileSync(join(NODE_MODULES, 'ajv', 'package.json'), 'utf8')).version);
  for (const f of ['extract.ts', 'refine.ts', 'compile.ts', 'packages.ts', 'api-lifecycle.ts']) h.update(readFileSync(join(here, f)));
  for (const f of listRepoSchemas()) h.update(f).update(readFileSync(f));
  return h.digest('hex').slice(0, 16);
}

/** Module a kind's validator lives in: one per API group family, so a run imports only what its documents use. */
export function moduleOf(key: string): string {
  const apiVersion = key.slice(0, key.lastIndexOf('/'));
  if (!apiVersion.includes('/') || (apiVersion.includes('k8s.io/') && !apiVersion.includes('x-k8s.io'))) return 'core';
  const group = apiVersion.slice(0, apiVersion.indexOf('/'));
  return /^(apps|batch|autoscaling|policy|extensions)$/.test(group) ? 'core' : group.split('.').slice(-2).join('.');
}

/** Index of the built modules: kind -> [module, export name]. */
type ModuleIndex = Record<string, [string, string]>;

/** Build the bundle (package kinds + repo kinds) and the standalone module sources, one per module. */
export async function buildSchemas(): Promise<{ bundle: KindSchemaBundle; modules: Record<string, string>; index: ModuleIndex }> {
  // ts-morph (the TypeScript compiler) loads only when the cache is built, not on every run.
  const { extractKindSchemas } = await import('./extract.ts');
  const bundle = extractKindSchemas(NODE_MODULES);
  const { refineFromPackageValidators } = await import('./refine.ts');
  await refineFromPackageValidators(bundle);
  delete bundle.sources;
  // Versions an operator no longer serves are rejected before any schema is consulted: no need to compile them.
  for (const key of Object.keys(bundle.kinds)) {
    const apiVersion = key.slice(0, key.lastIndexOf('/'));
    if (API_CHANGES.some((c) => c.apiVersion === apiVersion && c.removedIn === 0 && !c.kinds)) delete bundle.kinds[key];
  }
  Object.assign(bundle.kinds, readRepoSchemas());
  const ajv = new Ajv({ allErrors: true, strict: false, inlineRefs: false, code: { source: true, esm: true } });
  ajv.addSchema({ $id: 'k8s', $defs: { ...bundle.defs, ...prefixKinds(bundle.kinds) } });
  // CommonJS default export seen from ESM: the function is `.default`.
  const standaloneCode = (standalone as unknown as { default: typeof standalone.default }).default;
  const byModule = new Map<string, string[]>();
  for (const key of Object.keys(bundle.kinds)) byModule.set(moduleOf(key), [...(byModule.get(moduleOf(key)) ?? []), key]);
  const modules: Record<string, string> = {};
  const index: ModuleIndex = {};
  for (const [name, keys] of byModule) {
    const exports: Record<string, string> = {};
    keys.forEach((key, i) => {
      exports[`v${i}`] = `k8s#/$defs/${kindDef(key)}`;
      index[key] = [name, `v${i}`];
    });
    modules[name] = standaloneCode(ajv, exports);
  }
  return { bundle, modules, index };
}

const kindDef = (key: string) => `kind:${key.replace(/\//g, ':')}`;
function prefixKinds(kinds: Record<string, object>): Record<string, object> {
  return Object.fromEntries(Object.entries(kinds).map(([k, v]) => [kindDef(k), v]));
}

let ready: Promise<{ dir: string; index: ModuleIndex; schemas: CompiledSchemas }> | null = null;
const imported = new Map<string, Promise<void>>();

/**
 * The compiled validators, from the cache (built, ~20 s, when missing). With `keys` (`<apiVersion>/<kind>`), only
 * the modules those kinds need are imported; without, all of them. The same object fills up across calls.
 */
export async function loadSchemas(keys?: Iterable<string>): Promise<CompiledSchemas> {
  ready ??= (async () => {
    const dir = join(CACHE_ROOT, cacheKey());
    const indexPath = join(dir, 'index.json');
    const bundlePath = join(dir, 'bundle.json');
    if (!existsSync(indexPath) || !existsSync(bundlePath)) await buildOnce(dir, bundlePath, indexPath);
    // V8 code cache for the (large) generated modules: later runs skip most of their compilation.
    module.enableCompileCache?.(join(CACHE_ROOT, 'v8'));
    const index = JSON.parse(readFileSync(indexPath, 'utf8')) as ModuleIndex;
    let bundle: KindSchemaBundle | null = null;
    const schemas: CompiledSchemas = {
      kinds: new Set(Object.keys(index)),
      validators: new Map(),
      // Parsed only when an error needs explaining.
      get bundle() {
        bundle ??= JSON.parse(readFileSync(bundlePath, 'utf8')) as KindSchemaBundle;
        return bundle;
      },
    };
    return { dir, index, schemas };
  })();
  const { dir, index, schemas } = await ready;
  const wanted = new Set<string>();
  for (const key of keys ?? Object.keys(index)) if (index[key]) wanted.add(index[key][0]);
  await Promise.all(
    [...wanted].map((name) => {
      if (!imported.has(name)) {
        imported.set(
          name,
          import(pathToFileURL(join(dir, `validators-${name}.mjs`)).href).then((mod: Record<string, ValidateFn>) => {
            for (const [key, [m, exportName]] of Object.entries(index)) if (m === name) schemas.validators.set(key, mod[exportName]);
          }),
        );
      }
      return imported.get(name);
    }),
  );
  return schemas;
}

/**
 * Build into the cache, one process at a time: parallel test files wait for the first builder
 * (a lock folder) instead of each spending the build time. A lock older than 5 minutes is stale.
 */
async function buildOnce(dir: string, bundlePath: string, indexPath: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const lock = join(dir, 'build.lock');
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(indexPath) && existsSync(bundlePath)) return;
      try {
        if (Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // the builder finished meanwhile
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    if (existsSync(indexPath) && existsSync(bundlePath)) return;
    const { bundle, modules, index } = await buildSchemas();
    // Modules first, the index last and by rename: a reader that sees the index sees everything.
    const tmp = `.${process.pid}.tmp`;
    for (const [name, code] of Object.entries(modules)) writeFileSync(join(dir, `validators-${name}.mjs`), code);
    writeFileSync(bundlePath + tmp, JSON.stringify(bundle));
    renameSync(bundlePath + tmp, bundlePath);
    writeFileSync(indexPath + tmp, JSON.stringify(index));
    renameSync(indexPath + tmp, indexPath);
    // Older builds (other package versions or sources) are dead weight.
    for (const old of readdirSync(CACHE_ROOT)) {
      if (old !== basename(dir) && /^[0-9a-f]{16}$/.test(old)) rmSync(join(CACHE_ROOT, old), { recursive: true, force: true });
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
