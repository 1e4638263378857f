// Generates the model's JSON Schema (model/schema/model.schema.json) from the types in model/spec.ts with
// ts-morph: one `$defs` entry per exported interface and type alias, descriptions from their JSDoc,
// template-literal types as patterns and `@format` tags as formats (model/schema/formats.ts).
// Names imported from model/names.ts are plain strings here: the loader checks them against the declarations.
import { join } from 'node:path';
import { Node, Project, type InterfaceDeclaration, type JSDoc, type SourceFile, type TemplateLiteralTypeNode, type TypeReferenceNode, type TypeAliasDeclaration, type TypeNode, type TypeElementTypes } from 'ts-morph';

import { SCHEMA_ID } from './schema-file.ts';

export type Schema = { [key: string]: unknown };

type Declaration = InterfaceDeclaration | TypeAliasDeclaration;

class Generator {
  private readonly declarations = new Map<string, Declaration>();
  private readonly names = new Set<string>();
  private typeParameters = new Set<string>();

  constructor(file: SourceFile) {
    for (const d of [...file.getInterfaces(), ...file.getTypeAliases()]) this.declarations.set(d.getName(), d);
    for (const i of file.getImportDeclarations()) {
      if (i.getModuleSpecifierValue() === './names.ts') for (const n of i.getNamedImports()) this.names.add(n.getName());
    }
  }

  generate(): Schema {
    const $defs: Schema = {};
    const ordered = [...this.declarations.values()].filter((d) => d.isExported()).sort((a, b) => a.getStart() - b.getStart());
    for (const d of ordered) $defs[d.getName()] = this.declaration(d);
    return {
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: SCHEMA_ID,
      $comment: 'Generated from model/spec.ts by `npm run schema`. Do not edit.',
      $defs,
    };
  }

  private declaration(d: Declaration): Schema {
    this.typeParameters = new Set(d.getTypeParameters().map((p) => p.getName()));
    const doc = describe(d.getJsDocs());
    let schema: Schema;
    if (Node.isInterfaceDeclaration(d)) {
      if (d.getExtends().length > 0) throw this.unsupported(d, 'interfaces that extend others');
      schema = this.object(d.getMembers());
    } else {
      schema = this.type(d.getTypeNodeOrThrow());
    }
    if (doc.format) schema = { ...schema, format: doc.format };
    return withDescription(schema, doc.text);
  }

  private object(members: TypeElementTypes[], allOptional = false): Schema {
    const properties: Schema = {};
    const required: string[] = [];
    let additionalProperties: unknown = false;
    for (const member of members) {
      if (Node.isPropertySignature(member)) {
        const name = member.getName().replace(/^['"]|['"]$/g, '');
        properties[name] = withDescription(this.type(member.getTypeNodeOrThrow()), describe(member.getJsDocs()).text);
        if (!member.hasQuestionToken() && !allOptional) required.push(name);
      } else if (Node.isIndexSignatureDeclaration(member)) {
        additionalProperties = this.type(member.getReturnTypeNodeOrThrow());
      } else {
        throw this.unsupported(member, member.getKindName());
      }
    }
    return { type: 'object', properties, ...(required.length > 0 ? { required } : {}), additionalProperties };
  }

  private type(node: TypeNode): Schema {
    if (Node.isParenthesizedTypeNode(node)) return this.type(node.getTypeNode());
    switch (node.getKindName()) {
      case 'StringKeyword': return { type: 'string' };
      case 'NumberKeyword': return { type: 'number' };
      case 'BooleanKeyword': return { type: 'boolean' };
      case 'UnknownKeyword': return {};
    }
    if (Node.isLiteralTypeNode(node)) {
      const literal = node.getLiteral();
      if (Node.isStringLiteral(literal)) return { type: 'string', const: literal.getLiteralValue() };
      if (Node.isNumericLiteral(literal)) return { type: 'number', const: literal.getLiteralValue() };
      if (Node.isTrueLiteral(literal) || Node.isFalseLiteral(literal)) return { type: 'boolean', const: Node.isTrueLiteral(literal) };
    }
    if (Node.isUnionTypeNode(node)) return this.union(node.getTypeNodes().map((t) => this.type(t)));
    if (Node.isArrayTypeNode(node)) return { type: 'array', items: this.type(node.getElementTypeNode()) };
    if (Node.isTypeLiteral(node)) return this.object(node.getMembers());
    if (Node.isMappedTypeNode(node)) return { type: 'object', additionalProperties: this.type(node.getTypeNodeOrThrow()) };
    if (Node.isTemplateLiteralTypeNode(node)) return { type: 'string', pattern: `^${this.templatePattern(node)}$` };
    if (Node.isIndexedAccessTypeNode(node) && this.isName(node.getObjectTypeNode())) return { type: 'string' };
    if (Node.isTypeReference(node)) return this.reference(node);
    throw this.unsupported(node, node.getKindName());
  }

  private reference(node: TypeReferenceNode): Schema {
    const name = node.getTypeName().getText();
    const args = node.getTypeArguments();
    if (this.names.has(name) || this.typeParameters.has(name)) return { type: 'string' };
    if (name === 'Array' && args.length === 1) return { type: 'array', items: this.type(args[0]) };
    if (name === 'Record' && args.length === 2) {
      const keys = this.type(args[0]);
      const propertyNames = keys.$ref ? { propertyNames: keys } : {};
      return { type: 'object', ...propertyNames, additionalProperties: this.type(args[1]) };
    }
    if (name === 'Partial' && args.length === 1) {
      const inner = args[0];
      const target = Node.isTypeReference(inner) ? this.declarations.get(inner.getTypeName().getText()) : undefined;
      if (target && Node.isInterfaceDeclaration(target)) return this.object(target.getMembers(), true);
      const schema = this.type(inner);
      if (schema.type === 'object' && !schema.required) return schema;
      throw this.unsupported(node, 'Partial of this type');
    }
    if (this.declarations.has(name)) return { $ref: `#/$defs/${name}` };
    throw this.unsupported(node, `type ${name}`);
  }

  private isName(node: TypeNode): boolean {
    return Node.isTypeReference(node) && this.names.has(node.getTypeName().getText());
  }

  /** Identical alternatives once; string constants become one enum; anything else stays a union. */
  private union(members: Schema[]): Schema {
    const unique = [...new Map(members.map((m) => [JSON.stringify(m), m])).values()];
    if (unique.some((m) => m.type === 'string' && Object.keys(m).length === 1)) {
      const rest = unique.filter((m) => m.type !== 'string');
      if (rest.length === 0) return { type: 'string' };
    }
    if (unique.every((m) => 'const' in m && m.type === unique[0].type)) return { type: unique[0].type, enum: unique.map((m) => m.const) };
    if (unique.length > 1 && unique.every((m) => m.type === 'string' && typeof m.pattern === 'string' && Object.keys(m).length === 2)) {
      return { type: 'string', pattern: `^(?:${unique.map((m) => (m.pattern as string).slice(1, -1)).join('|')})$` };
    }
    return unique.length === 1 ? unique[0] : { anyOf: unique };
  }

  private templatePattern(node: TemplateLiteralTypeNode): string {
    let pattern = escape(node.getHead().getLiteralText());
    for (const span of node.getTemplateSpans()) {
      const [typeNode, literal] = span.getChildren();
      if (!(Node.isTemplateMiddle(literal) || Node.isTemplateTail(literal))) throw this.unsupported(span, 'this template literal');
      pattern += this.spanPattern(typeNode as TypeNode) + escape(literal.getLiteralText());
    }
    return pattern;
  }

  private spanPattern(node: TypeNode): string {
    const kind = node.getKindName();
    if (kind === 'NumberKeyword') return '-?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?';
    if (kind === 'StringKeyword') return '.*';
    if (Node.isLiteralTypeNode(node) && Node.isStringLiteral(node.getLiteral())) return escape((node.getLiteral() as import('ts-morph').StringLiteral).getLiteralValue());
    if (Node.isUnionTypeNode(node)) return `(?:${node.getTypeNodes().map((t) => this.spanPattern(t)).join('|')})`;
    throw this.unsupported(node, `${kind} in a template literal`);
  }

  private unsupported(node: Node, what: string): Error {
    return new Error(`model/spec.ts:${node.getStartLineNumber()}: the schema generator does not support ${what}; use a simpler type or extend model/schema/generate.ts`);
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The JSDoc text (with `@default` written out) and the `@format` tag, if any. */
function describe(docs: JSDoc[]): { text: string; format?: string } {
  let text = '';
  let format: string | undefined;
  for (const doc of docs) {
    text += (doc.getDescription() ?? '').trim();
    for (const tag of doc.getTags()) {
      const comment = (tag.getCommentText() ?? '').trim();
      if (tag.getTagName() === 'format') format = comment;
      else if (tag.getTagName() === 'default') text += `${text ? ' ' : ''}Default: ${comment}.`;
    }
  }
  return { text: text.replace(/\s+/g, ' ').trim(), ...(format ? { format } : {}) };
}

function withDescription(schema: Schema, text: string): Schema {
  return text ? { description: text, ...schema } : schema;
}

/** The schema of model/spec.ts under `repoRoot`. */
export function generateSchema(repoRoot: string): Schema {
  const project = new Project({ skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: true, compilerOptions: { allowImportingTsExtensions: true } });
  const file = project.addSourceFileAtPath(join(repoRoot, 'model/spec.ts'));
  return new Generator(file).generate();
}

/** The schema as committed: two-space JSON with a final newline. */
export function schemaText(schema: Schema): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
