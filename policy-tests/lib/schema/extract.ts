// Builds strict JSON schemas for every kind the kubernetes-models packages declare, from their .d.ts files.
// The packages' own validators accept unknown fields; the declarations carry the complete field lists,
// so every object type with a fixed field list becomes `additionalProperties: false` here.
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Project, ts } from 'ts-morph';
import { MODEL_PACKAGES } from './packages.ts';

export interface KindSchemaBundle {
  /** `$defs` shared by all kinds. */
  defs: Record<string, object>;
  /** `<apiVersion>/<kind>` (`apps/v1/Deployment`, `v1/Pod`) -> schema (usually a `$ref` into defs). */
  kinds: Record<string, object>;
  /** `<apiVersion>/<kind>` -> the declaration file it was read from (package kinds only). */
  sources?: Record<string, string>;
}


/** `.d.ts` files of `<group>/<version>/<Kind>.d.ts` form (the kind files) in one package. */
function kindFiles(pkgDir: string): string[] {
  const out: string[] = [];
  for (const group of readdirSync(pkgDir)) {
    if (group.startsWith('_') || group === 'node_modules' || group.startsWith('.')) continue;
    const groupDir = join(pkgDir, group);
    if (!statSync(groupDir).isDirectory()) continue;
    // The core group has no group folder: `kubernetes-models/v1/Pod.d.ts`.
    const versions = /^v\d/.test(group) ? ['.'] : readdirSync(groupDir);
    for (const version of versions) {
      const versionDir = join(groupDir, version);
      if (!statSync(versionDir).isDirectory()) continue;
      for (const file of readdirSync(versionDir)) {
        if (file.endsWith('.d.ts') && /^[A-Z]/.test(file)) out.push(join(versionDir, file));
      }
    }
  }
  return out;
}

/** Extract the schemas of every kind in `packages` (resolved under `nodeModules`). */
export function extractKindSchemas(nodeModules: string, packages = MODEL_PACKAGES): KindSchemaBundle {
  const files = packages.flatMap((p) => {
    const dir = join(nodeModules, p);
    if (!existsSync(dir)) throw new Error(`schema extraction: package ${p} is not installed (npm install)`);
    return kindFiles(dir);
  });
  // ts-morph's Project brings the standard library declarations (Array etc.) the checker needs.
  const project = new Project({
    skipAddingFilesFromTsConfig: true,
    compilerOptions: {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      types: [],
    },
  });
  project.addSourceFilesAtPaths(files);
  const program = project.getProgram().compilerObject;
  const checker = program.getTypeChecker();
  const defs: Record<string, object> = {};
  const defNames = new Map<ts.Type, string>();
  const usedNames = new Set<string>();

  const defName = (type: ts.Type): string | null => {
    const sym = type.aliasSymbol ?? type.getSymbol();
    if (!sym || sym.getName() === '__type' || sym.getName() === '__object') return null;
    if (!(type.flags & ts.TypeFlags.Object) || type.aliasSymbol) return null;
    let name = sym.getName().replace(/^I(?=[A-Z])/, '');
    const decl = sym.declarations?.[0];
    const file = decl?.getSourceFile().fileName ?? '';
    const m = /node_modules\/(?:@kubernetes-models\/|kubernetes-models\/)?(.+)\/[^/]+\.d\.ts$/.exec(file);
    if (m) name = `${m[1].replace(/node_modules\/(@kubernetes-models\/)?/g, '').replace(/[^A-Za-z0-9.]+/g, '.')}.${name}`;
    let unique = name;
    for (let i = 2; usedNames.has(unique); i++) unique = `${name}.${i}`;
    usedNames.add(unique);
    return unique;
  };

  const toSchema = (type: ts.Type): object => {
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return {};
    if (type.isUnion()) {
      const parts = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
      const nullable = parts.length !== type.types.length && type.types.some((t) => t.flags & ts.TypeFlags.Null);
      const literals = parts.filter((t): t is ts.LiteralType => t.isStringLiteral() || t.isNumberLiteral());
      const booleans = parts.filter((t) => t.flags & ts.TypeFlags.BooleanLiteral);
      const rest = parts.filter((t) => !(literals as ts.Type[]).includes(t) && !booleans.includes(t));
      const anyOf: object[] = [];
      if (literals.length) anyOf.push({ enum: literals.map((t) => (t as ts.LiteralType).value) });
      if (booleans.length) anyOf.push({ type: 'boolean' });
      for (const t of rest) anyOf.push(toSchema(t));
      const merged = mergeSimpleTypes(anyOf);
      return nullable ? { anyOf: [merged, { type: 'null' }] } : merged;
    }
    if (type.flags & ts.TypeFlags.StringLike) return type.isStringLiteral() ? { const: type.value } : { type: 'string' };
    if (type.flags & ts.TypeFlags.NumberLike) return type.isNumberLiteral() ? { const: type.value } : { type: 'number' };
    if (type.flags & ts.TypeFlags.BooleanLike) return { type: 'boolean' };
    if (type.flags & ts.TypeFlags.Null) return { type: 'null' };
    if (checker.isArrayType(type)) {
      const [item] = checker.getTypeArguments(type as ts.TypeReference);
      return { type: 'array', items: toSchema(item) };
    }
    if (type.flags & ts.TypeFlags.Object) {
      const known = defNames.get(type);
      if (known) return { $ref: `#/$defs/${known}` };
      const name = defName(type);
      if (name) {
        defNames.set(type, name);
        defs[name] = {};
        defs[name] = objectSchema(type);
        return { $ref: `#/$defs/${name}` };
      }
      return objectSchema(type);
    }
    return {};
  };

  const objectSchema = (type: ts.Type): object => {
    const props = checker.getPropertiesOfType(type).filter((p) => !(p.flags & ts.SymbolFlags.Method));
    const index = checker.getIndexTypeOfType(type, ts.IndexKind.String);
    if (props.length === 0 && !index) return { type: 'object' }; // `{}`: free-form (x-kubernetes-preserve-unknown-fields)
    const properties: Record<string, object> = {};
    const required: string[] = [];
    const isKind = !!checker.getPropertyOfType(type, 'apiVersion') && !!checker.getPropertyOfType(type, 'kind');
    for (const p of props) {
      // `status` is written by controllers and ignored on apply: any object.
      if (isKind && p.getName() === 'status') {
        properties.status = { type: 'object' };
        continue;
      }
      const decl = p.valueDeclaration ?? p.declarations?.[0];
      const t = decl ? checker.getTypeOfSymbolAtLocation(p, decl) : checker.getTypeOfSymbol(p);
      const optional = (p.flags & ts.SymbolFlags.Optional) !== 0;
      const schema = toSchema(t);
      properties[p.getName()] = schema;
      if (!optional) required.push(p.getName());
    }
    const out: Record<string, unknown> = { type: 'object', properties, additionalProperties: index ? toSchema(index) : false };
    if (required.length) out.required = required;
    return out;
  };

  const kinds: Record<string, object> = {};
  const sources: Record<string, string> = {};
  for (const file of files) {
    const sf = program.getSourceFile(file);
    if (!sf) continue;
    for (const stmt of sf.statements) {
      if (!ts.isInterfaceDeclaration(stmt)) continue;
      const type = checker.getTypeAtLocation(stmt);
      const apiVersion = literalProp(checker, type, 'apiVersion');
      const kind = literalProp(checker, type, 'kind');
      if (!apiVersion || !kind) continue;
      kinds[`${apiVersion}/${kind}`] = toSchema(type);
      sources[`${apiVersion}/${kind}`] = file;
    }
  }
  return { defs, kinds, sources };
}

function literalProp(checker: ts.TypeChecker, type: ts.Type, name: string): string | null {
  const sym = checker.getPropertyOfType(type, name);
  const decl = sym?.valueDeclaration ?? sym?.declarations?.[0];
  if (!sym || !decl) return null;
  const t = checker.getTypeOfSymbolAtLocation(sym, decl);
  return t.isStringLiteral() ? t.value : null;
}

/** `anyOf: [{type: string}, {type: number}]` -> `type: [string, number]`; single member unwrapped. */
function mergeSimpleTypes(anyOf: object[]): object {
  if (anyOf.length === 1) return anyOf[0];
  const simple = anyOf.every((s) => Object.keys(s).length === 1 && 'type' in s && typeof (s as { type: unknown }).type === 'string');
  if (simple) return { type: [...new Set(anyOf.map((s) => (s as { type: string }).type))] };
  return { anyOf };
}
