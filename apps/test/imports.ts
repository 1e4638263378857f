/**
 * What a TypeScript file imports, read from its text (static, dynamic and `require` forms, type-only
 * imports included): the specifiers, and the npm package each bare specifier names.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';

const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)|\brequire(?:\.resolve)?\(\s*'([^']+)'\s*\)/gm;

export function importSpecifiers(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]);
}

/** The package a bare specifier names (`@scope/name/x.js` → `@scope/name`); undefined for relative paths and Node built-ins. */
export function packageOf(spec: string): string | undefined {
  if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:') || builtinModules.includes(spec)) return undefined;
  return spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
}
