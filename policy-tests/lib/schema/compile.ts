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
  /** `<apiVersion>/<kind>` -> validator. */
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

/** Build the bundle (package kinds + repo kinds) and the standalone module source. */
export async function buildSchemas(): Promise<{ bundle: KindSchemaBundle; code: string }> {
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
  const exports: Record<string, string> = {};
  Object.keys(bundle.kinds).forEach((key, i) => (exports[`v${i}`] = `k8s#/$defs/${kindDef(key)}`));
  // CommonJS default export seen from ESM: the function is `.default`.
  const standaloneCode = (standalone as unknown as { default: typeof standalone.default }).default;
  const code = standaloneCode(ajv, exports);
  const index = Object.fromEntries(Object.keys(bundle.kinds).map((key, i) => [key, `v${i}`]));
  return { bundle, code: `${code}\nexport const kindIndex = ${JSON.stringify(index)};\n` };
}

const kindDef = (key: string) => `kind:${key.replace(/\//g, ':')}`;
function prefixKinds(kinds: Record<string, object>): Record<string, object> {
  return Object.fromEntries(Object.entries(kinds).map(([k, v]) => [kindDef(k), v]));
}

let loaded: Promise<CompiledSchemas> | null = null;

/** The compiled validators: from the cache when present, built (a few seconds) and cached otherwise. */
export function loadSchemas(): Promise<CompiledSchemas> {
  loaded ??= (async () => {
    const dir = join(CACHE_ROOT, cacheKey());
    const modulePath = join(dir, 'validators.mjs');
    const bundlePath = join(dir, 'bundle.json');
    if (!existsSync(modulePath) || !existsSync(bundlePath)) await buildOnce(dir, bundlePath, modulePath);
    // V8 code cache for the (large) generated module: later runs skip most of its compilation.
    module.enableCompileCache?.(join(CACHE_ROOT, 'v8'));
    const mod = (await import(pathToFileURL(modulePath).href)) as Record<string, ValidateFn> & { kindIndex: Record<string, string> };
    const validators = new Map<string, ValidateFn>();
    for (const [key, name] of Object.entries(mod.kindIndex)) validators.set(key, mod[name]);
    let bundle: KindSchemaBundle | null = null;
    return {
      validators,
      // Parsed only when an error needs explaining.
      get bundle() {
        bundle ??= JSON.parse(readFileSync(bundlePath, 'utf8')) as KindSchemaBundle;
        return bundle;
      },
    };
  })();
  return loaded;
}

/**
 * Build into the cache, one process at a time: parallel test files wait for the first builder
 * (a lock folder) instead of each spending the build time. A lock older than 5 minutes is stale.
 */
async function buildOnce(dir: string, bundlePath: string, modulePath: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const lock = join(dir, 'build.lock');
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(modulePath) && existsSync(bundlePath)) return;
      try {
        if (Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // the builder finished meanwhile
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    if (existsSync(modulePath) && existsSync(bundlePath)) return;
    const { bundle, code } = await buildSchemas();
    // Write then rename: readers never see half a file.
    const tmp = `.${process.pid}.tmp`;
    writeFileSync(bundlePath + tmp, JSON.stringify(bundle));
    writeFileSync(modulePath + tmp, code);
    renameSync(bundlePath + tmp, bundlePath);
    renameSync(modulePath + tmp, modulePath);
    // Older builds (other package versions or sources) are dead weight.
    for (const old of readdirSync(CACHE_ROOT)) {
      if (old !== basename(dir) && /^[0-9a-f]{16}$/.test(old)) rmSync(join(CACHE_ROOT, old), { recursive: true, force: true });
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
