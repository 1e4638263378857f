// Edits of exported object literals in TypeScript sources (environments/<env>/images.ts, model
// files), in place: only the edited node's text changes, so formatting and comments survive.
import { type ArrayLiteralExpression, type Expression, Node, type ObjectLiteralExpression, Project, type PropertyAssignment, type SourceFile } from 'ts-morph';

export class SourceEditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceEditError';
  }
}

/** A source file opened for editing; `text()` is the edited content. */
export interface EditableSource {
  file: SourceFile;
  text(): string;
}

let project: Project | undefined;

export function openSource(fileName: string, content: string): EditableSource {
  project ??= new Project({ useInMemoryFileSystem: true, skipAddingFilesFromTsConfig: true });
  const file = project.createSourceFile(fileName, content, { overwrite: true });
  return { file, text: () => file.getFullText() };
}

/** Strip `satisfies T`, `as const`, `as T` and parentheses. */
function unwrap(node: Node | undefined): Node | undefined {
  let current = node;
  while (current && (Node.isSatisfiesExpression(current) || Node.isAsExpression(current) || Node.isParenthesizedExpression(current))) {
    current = current.getExpression();
  }
  return current;
}

function where(source: EditableSource, path: readonly string[]): string {
  return `${source.file.getBaseName()}: ${path.join('.')}`;
}

/** The initializer of `export const <variable> = …`, unwrapped. */
function variableValue(source: EditableSource, variable: string): Node {
  const declaration = source.file.getVariableDeclaration(variable);
  const value = unwrap(declaration?.getInitializer());
  if (!value) throw new SourceEditError(`${source.file.getBaseName()}: no "const ${variable} = …" to edit`);
  return value;
}

/** The property `name` of an object literal (quoted or not). */
export function findProperty(object: ObjectLiteralExpression, name: string): PropertyAssignment | undefined {
  for (const property of object.getProperties()) {
    if (!Node.isPropertyAssignment(property)) continue;
    const nameNode = property.getNameNode();
    const text = Node.isStringLiteral(nameNode) || Node.isNoSubstitutionTemplateLiteral(nameNode) ? nameNode.getLiteralText() : nameNode.getText();
    if (text === name) return property;
  }
  return undefined;
}

/** The object literal at `path` under `variable` (every step must be a literal written in this file). */
export function objectAt(source: EditableSource, variable: string, path: readonly string[]): ObjectLiteralExpression {
  let node = variableValue(source, variable);
  for (let i = 0; i <= path.length; i++) {
    if (!Node.isObjectLiteralExpression(node)) {
      throw new SourceEditError(`${where(source, [variable, ...path.slice(0, i)])} is not an object literal written in this file; edit it by hand`);
    }
    if (i === path.length) return node;
    const property = findProperty(node, path[i]);
    const value = unwrap(property?.getInitializer());
    if (!value) throw new SourceEditError(`${where(source, [variable, ...path.slice(0, i + 1)])} does not exist`);
    node = value;
  }
  throw new SourceEditError('unreachable');
}

const propertyName = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : `'${name.replace(/'/g, "\\'")}'`);

/** Set `variable.path` to the expression `code`, adding the property when it is missing. */
export function setProperty(source: EditableSource, variable: string, path: readonly string[], code: string): void {
  const parent = objectAt(source, variable, path.slice(0, -1));
  const name = path[path.length - 1];
  const property = findProperty(parent, name);
  if (property) property.setInitializer(code);
  else parent.addPropertyAssignment({ name: propertyName(name), initializer: code });
}

/** Remove `variable.path`; an error when it does not exist. */
export function removeProperty(source: EditableSource, variable: string, path: readonly string[]): void {
  const parent = objectAt(source, variable, path.slice(0, -1));
  const property = findProperty(parent, path[path.length - 1]);
  if (!property) throw new SourceEditError(`${where(source, [variable, ...path])} does not exist`);
  property.remove();
}

/** Remove the string element `value` from the array literal at `variable.path`. */
export function removeArrayElement(source: EditableSource, variable: string, path: readonly string[], value: string): void {
  const node = path.length === 0 ? variableValue(source, variable) : unwrap(findProperty(objectAt(source, variable, path.slice(0, -1)), path[path.length - 1])?.getInitializer());
  if (!node || !Node.isArrayLiteralExpression(node)) throw new SourceEditError(`${where(source, [variable, ...path])} is not an array literal`);
  const array = node as ArrayLiteralExpression;
  const index = array.getElements().findIndex((e: Expression) => Node.isStringLiteral(e) && e.getLiteralText() === value);
  if (index === -1) throw new SourceEditError(`${where(source, [variable, ...path])} has no element "${value}"`);
  array.removeElement(index);
}

/** Replace the text of the string literal at `variable.path`, keeping its quote style; returns the old value. */
export function replaceString(source: EditableSource, variable: string, path: readonly string[], value: string): string {
  const property = findProperty(objectAt(source, variable, path.slice(0, -1)), path[path.length - 1]);
  const literal = property?.getInitializer();
  if (!literal || !Node.isStringLiteral(literal)) throw new SourceEditError(`${where(source, [variable, ...path])} is not a string literal`);
  const old = literal.getLiteralText();
  const quote = literal.getText()[0];
  literal.replaceWithText(`${quote}${value}${quote}`);
  return old;
}
