// Builds the validators from their inputs (inputs.ts): the kind schema bundle (model package declarations, refined
// by the packages' own validators, plus policy-tests/schemas/) and one standalone ajv module per API group family.
// Slow (~20 s, mostly ajv generating code): `npm run validators` keeps the result in policy-tests/validators/.
import type { KindSchemaBundle } from './extract.ts';
import { NODE_MODULES, readRepoSchemas, unservedApiVersions } from './inputs.ts';

/** Index of the built modules: `<apiVersion>/<kind>` -> [module, export name]. */
export type ModuleIndex = Record<string, [string, string]>;

export interface BuiltValidators {
  bundle: KindSchemaBundle;
  /** Module name -> standalone ES module source. */
  modules: Record<string, string>;
  index: ModuleIndex;
}

/** Module a kind's validator lives in: one per API group family, so a run imports only what its documents use. */
export function moduleOf(key: string): string {
  const apiVersion = key.slice(0, key.lastIndexOf('/'));
  if (!apiVersion.includes('/') || (apiVersion.includes('k8s.io/') && !apiVersion.includes('x-k8s.io'))) return 'core';
  const group = apiVersion.slice(0, apiVersion.indexOf('/'));
  return /^(apps|batch|autoscaling|policy|extensions)$/.test(group) ? 'core' : group.split('.').slice(-2).join('.');
}

/** Build the bundle (package kinds + repo kinds) and the standalone module sources; `only` limits the modules built. */
export async function buildValidators(only?: (module: string) => boolean): Promise<BuiltValidators> {
  // ts-morph (the TypeScript compiler) and ajv load only when building.
  const { extractKindSchemas } = await import('./extract.ts');
  const bundle = extractKindSchemas(NODE_MODULES);
  const { refineFromPackageValidators } = await import('./refine.ts');
  await refineFromPackageValidators(bundle);
  delete bundle.sources;
  const unserved = new Set(unservedApiVersions());
  for (const key of Object.keys(bundle.kinds)) if (unserved.has(key.slice(0, key.lastIndexOf('/')))) delete bundle.kinds[key];
  Object.assign(bundle.kinds, readRepoSchemas());
  const { Ajv } = await import('ajv');
  // CommonJS default export seen from ESM: the function is `.default.default`.
  const standaloneCode = (await import('ajv/dist/standalone/index.js')).default.default;
  const root = { $id: 'k8s', $defs: { ...bundle.defs, ...prefixKinds(bundle.kinds) } };
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
    if (only && !only(name)) continue;
    // One ajv per module: its code (function numbering included) depends on its own kinds only.
    const ajv = new Ajv({ allErrors: true, strict: false, inlineRefs: false, code: { source: true, esm: true } });
    ajv.addSchema(root);
    modules[name] = standaloneCode(ajv, exports);
  }
  return { bundle, modules, index };
}

const kindDef = (key: string) => `kind:${key.replace(/\//g, ':')}`;
function prefixKinds(kinds: Record<string, object>): Record<string, object> {
  return Object.fromEntries(Object.entries(kinds).map(([k, v]) => [kindDef(k), v]));
}
