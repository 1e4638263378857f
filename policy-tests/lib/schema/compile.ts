// The compiled validators at run time, from node_modules/.cache/gamemetrics-validate/<inputs hash>/: filled from
// policy-tests/validators/ when that matches the inputs (a decompression), else built there once (~20 s, said on
// stderr), so a run only imports ready-made functions.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import module from 'node:module';
import { pathToFileURL } from 'node:url';
import type { ModuleIndex } from './build.ts';
import type { KindSchemaBundle } from './extract.ts';
import { currentInputs, inputsHash, NODE_MODULES, REPO_ROOT } from './inputs.ts';
import { BUNDLE_FILE, checkPrecompiled, expandPrecompiled, moduleFile, REGENERATE } from './precompiled.ts';

export { REPO_ROOT };
/** Where builds and their V8 code cache go; GM_VALIDATE_CACHE_DIR moves it (the benchmark's cold runs). */
const cacheRoot = () => process.env.GM_VALIDATE_CACHE_DIR || join(NODE_MODULES, '.cache', 'gamemetrics-validate');

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

const shown = (dir: string) => (relative(REPO_ROOT, dir).startsWith('..') ? dir : relative(REPO_ROOT, dir));

let ready: Promise<{ index: ModuleIndex; file: (name: string) => string; schemas: CompiledSchemas }> | null = null;
const imported = new Map<string, Promise<void>>();

/**
 * The compiled validators. With `keys` (`<apiVersion>/<kind>`), only the modules those kinds need are imported;
 * without, all of them. The same object fills up across calls.
 */
export async function loadSchemas(keys?: Iterable<string>): Promise<CompiledSchemas> {
  ready ??= (async () => {
    const inputs = currentInputs();
    const dir = join(cacheRoot(), inputsHash(inputs));
    const precompiled = checkPrecompiled(inputs);
    let index: ModuleIndex;
    let file: (name: string) => string;
    if (precompiled.fresh) {
      claim(dir);
      index = precompiled.manifest.index;
      file = (name) => expandPrecompiled(name, dir);
    } else {
      const indexPath = join(dir, 'index.json');
      if (!existsSync(indexPath)) {
        process.stderr.write(
          `validators: ${precompiled.reason}; compiling them into ${shown(dir)} (~20 s, once); \`${REGENERATE}\` regenerates policy-tests/validators/\n`,
        );
        await buildOnce(dir, indexPath);
      }
      index = JSON.parse(readFileSync(indexPath, 'utf8')) as ModuleIndex;
      file = (name) => join(dir, name);
    }
    // V8 code cache for the (large) generated modules: later runs skip most of their compilation.
    module.enableCompileCache?.(join(cacheRoot(), 'v8'));
    let bundle: KindSchemaBundle | null = null;
    const schemas: CompiledSchemas = {
      kinds: new Set(Object.keys(index)),
      validators: new Map(),
      // Parsed only when an error needs explaining.
      get bundle() {
        bundle ??= JSON.parse(readFileSync(file(BUNDLE_FILE), 'utf8')) as KindSchemaBundle;
        return bundle;
      },
    };
    return { index, file, schemas };
  })();
  const { index, file, schemas } = await ready;
  const wanted = new Set<string>();
  for (const key of keys ?? Object.keys(index)) if (index[key]) wanted.add(index[key][0]);
  await Promise.all(
    [...wanted].map((name) => {
      if (!imported.has(name)) {
        imported.set(
          name,
          import(pathToFileURL(file(moduleFile(name))).href).then((mod: Record<string, ValidateFn>) => {
            for (const [key, [m, exportName]] of Object.entries(index)) if (m === name) schemas.validators.set(key, mod[exportName]);
          }),
        );
      }
      return imported.get(name);
    }),
  );
  return schemas;
}

/** Create a build folder; the first to do so removes older builds (other package versions or sources): dead weight. */
function claim(dir: string): void {
  if (existsSync(dir)) return;
  mkdirSync(dir, { recursive: true });
  for (const old of readdirSync(cacheRoot())) {
    if (old !== basename(dir) && /^[0-9a-f]{16}$/.test(old)) rmSync(join(cacheRoot(), old), { recursive: true, force: true });
  }
}

/**
 * Build into the cache, one process at a time: parallel test files wait for the first builder
 * (a lock folder) instead of each spending the build time. A lock older than 5 minutes is stale.
 */
async function buildOnce(dir: string, indexPath: string): Promise<void> {
  claim(dir);
  const lock = join(dir, 'build.lock');
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(indexPath)) return;
      try {
        if (Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // the builder finished meanwhile
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    if (existsSync(indexPath)) return;
    const { buildValidators } = await import('./build.ts');
    const { bundle, modules, index } = await buildValidators();
    // Modules and bundle first, the index last and by rename: a reader that sees the index sees everything.
    const tmp = `.${process.pid}.tmp`;
    for (const [name, code] of Object.entries(modules)) writeFileSync(join(dir, moduleFile(name)), code);
    writeFileSync(join(dir, BUNDLE_FILE), JSON.stringify(bundle));
    writeFileSync(indexPath + tmp, JSON.stringify(index));
    renameSync(indexPath + tmp, indexPath);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
