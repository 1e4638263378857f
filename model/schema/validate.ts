// Validates a platform or environment spec against model/schema/model.schema.json. The common case (a valid
// model) runs ajv standalone code compiled once per schema and cached outside git; only an invalid model
// loads ajv itself to explain every problem (model/schema/explain.ts).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { PathSegment, Problem } from '../problems.ts';
import { ajvFormats } from './formats.ts';
import { explainSchemaProblems } from './explain.ts';
import { SCHEMA_ID, SCHEMA_PATH } from './schema-file.ts';

/** The spec types the loader validates: the root of model/ and an environment's delta. */
export type SpecType = 'PlatformSpec' | 'EnvironmentSpec';
const SPEC_TYPES: SpecType[] = ['PlatformSpec', 'EnvironmentSpec'];

const CACHE_DIR = join(import.meta.dirname, '..', '..', 'node_modules', '.cache', 'gamemetrics-model-schema');
const require = createRequire(import.meta.url);

type Check = (data: unknown) => boolean;
let checks: Record<SpecType, Check> | undefined;

/**
 * Every problem of `value` as a `type`, with paths under `prefix` (none when it conforms); `valuesOnly` when
 * the shape is sound and only value checks failed.
 */
export function schemaProblems(type: SpecType, value: unknown, prefix: PathSegment[]): { problems: Problem[]; valuesOnly: boolean } {
  checks ??= compiledChecks();
  if (checks[type](value)) return { problems: [], valuesOnly: true };
  return explainSchemaProblems(type, value, prefix);
}

/** The standalone validators: from the cache, or compiled now and cached (atomically, for concurrent runs). */
function compiledChecks(): Record<SpecType, Check> {
  const schemaText = readFileSync(SCHEMA_PATH, 'utf8');
  const ajvVersion = (require('ajv/package.json') as { version: string }).version;
  const key = createHash('sha256')
    .update(schemaText)
    .update(ajvVersion)
    .update(JSON.stringify(Object.entries(ajvFormats).map(([name, f]) => [name, f.type])))
    .update(standaloneSource.toString())
    .digest('hex')
    .slice(0, 16);
  const file = join(CACHE_DIR, `${key}.cjs`);
  if (!existsSync(file)) {
    const source = standaloneSource(JSON.parse(schemaText));
    try {
      mkdirSync(CACHE_DIR, { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, source);
      renameSync(temporary, file);
    } catch {
      return evaluate(source);
    }
  }
  return (require(file) as (formats: typeof ajvFormats) => Record<SpecType, Check>)(ajvFormats);
}

/** A CommonJS module exporting a factory: formats in, one validator per spec type out. */
function standaloneSource(schema: object): string {
  const { Ajv, _ } = require('ajv') as typeof import('ajv');
  const standalone = (require('ajv/dist/standalone') as { default: (ajv: unknown, refs: Record<string, string>) => string }).default;
  const ajv = new Ajv({ code: { source: true, formats: _`formats` }, formats: ajvFormats, inlineRefs: false });
  ajv.addSchema(schema);
  const code = standalone(ajv, Object.fromEntries(SPEC_TYPES.map((t) => [t, `${SCHEMA_ID}#/$defs/${t}`])));
  return `module.exports = function (formats) {\nconst module = { exports: {} };\nconst exports = module.exports;\n${code}\nreturn module.exports;\n};\n`;
}

function evaluate(source: string): Record<SpecType, Check> {
  const module = { exports: {} as (formats: typeof ajvFormats) => Record<SpecType, Check> };
  new Function('module', 'require', source)(module, require);
  return module.exports(ajvFormats);
}
