// Maps model paths to source locations with ts-morph: `tenants.gamemetrics.services.x.consumes[0]`
// → model/tenants/gamemetrics.ts:42. Loaded lazily, only when there are problems to report.
import { join } from 'node:path';
import { Node, Project, type SourceFile } from 'ts-morph';
import type { PathSegment, Problem } from './problems.ts';

/** Follow identifiers, imports, `satisfies`, `as` and parentheses to the expression that holds the value. */
function resolve(node: Node | undefined, depth = 0): Node | undefined {
  if (!node || depth > 20) return node;
  if (Node.isSatisfiesExpression(node) || Node.isAsExpression(node) || Node.isParenthesizedExpression(node) || Node.isTypeAssertion(node)) {
    return resolve(node.getExpression(), depth + 1);
  }
  if (Node.isIdentifier(node)) {
    let symbol = node.getSymbol();
    if (symbol?.getAliasedSymbol()) symbol = symbol.getAliasedSymbol();
    const declaration = symbol?.getDeclarations()[0];
    if (declaration && Node.isVariableDeclaration(declaration)) return resolve(declaration.getInitializer(), depth + 1);
  }
  return node;
}

function child(node: Node, segment: PathSegment): Node | undefined {
  if (Node.isObjectLiteralExpression(node) && typeof segment === 'string') {
    for (const property of node.getProperties()) {
      if (Node.isPropertyAssignment(property)) {
        const name = property.getNameNode();
        const text = Node.isStringLiteral(name) || Node.isNoSubstitutionTemplateLiteral(name) ? name.getLiteralText() : name.getText();
        if (text === segment) return property;
      } else if (Node.isShorthandPropertyAssignment(property) && property.getName() === segment) {
        return property;
      }
    }
    return undefined;
  }
  if (Node.isArrayLiteralExpression(node) && typeof segment === 'number') return node.getElements()[segment];
  return undefined;
}

function valueOf(node: Node): Node | undefined {
  if (Node.isPropertyAssignment(node)) return resolve(node.getInitializer());
  if (Node.isShorthandPropertyAssignment(node)) {
    const symbol = node.getValueSymbol();
    const target = symbol?.getAliasedSymbol() ?? symbol;
    const declaration = target?.getDeclarations()[0];
    return declaration && Node.isVariableDeclaration(declaration) ? resolve(declaration.getInitializer()) : undefined;
  }
  return resolve(node);
}

/**
 * The deepest node along `path` starting from `root`: the entry itself when it is written, else its nearest
 * written parent; when that parent's value lives in another file (an imported object), the value there.
 */
function walk(root: Node, path: readonly PathSegment[]): Node {
  let current: Node = root;
  let located: Node = root;
  for (const segment of path) {
    const entry = child(current, segment);
    if (!entry) {
      if (current.getSourceFile() !== located.getSourceFile()) located = current;
      break;
    }
    located = entry;
    const value = valueOf(entry);
    if (!value) break;
    current = value;
  }
  return located;
}

function exportedInitializer(file: SourceFile | undefined, name: string): Node | undefined {
  const declaration = file?.getVariableDeclaration(name);
  return declaration ? resolve(declaration.getInitializer()) : undefined;
}

/** Fill in `file` and `line` of each problem from the model sources under `repoRoot`. */
export function locateProblems(problems: Problem[], repoRoot: string): void {
  // Only the model's own files: no lib or @types files (resolving identifiers needs none of them).
  const project = new Project({ compilerOptions: { allowImportingTsExtensions: true, noLib: true, types: [] }, skipAddingFilesFromTsConfig: true });
  const platformFile = project.addSourceFileAtPathIfExists(join(repoRoot, 'model/platform.ts'));
  project.resolveSourceFileDependencies();
  const platformRoot = exportedInitializer(platformFile, 'platform');
  for (const problem of problems) {
    if (problem.internal) continue;
    let root: Node | undefined;
    let path = problem.path;
    if (path[0] === 'environments' && typeof path[1] === 'string') {
      const file = project.addSourceFileAtPathIfExists(join(repoRoot, 'environments', path[1], 'index.ts'));
      if (file) project.resolveSourceFileDependencies();
      root = exportedInitializer(file, path[1]);
      path = path.slice(2);
    } else {
      root = platformRoot;
    }
    if (!root) continue;
    const node = walk(root, path);
    problem.file = node.getSourceFile().getFilePath();
    problem.line = node.getStartLineNumber();
  }
}
