// Reports a syntax error in a model or environment file the way a compiler does: file:line:column, the
// line and a caret under the spot, no stack trace. Loads the TypeScript parser only when there is one.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SyntaxProblem {
  file: string;
  line: number;
  column: number;
  message: string;
  text: string;
}

/** Folders whose files people edit; a syntax error anywhere else is a bug, reported by Node's own location. */
const EDITED_FOLDERS = ['model', 'environments'];

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** The syntax errors of the model and environment files, first one per file. */
export async function findSyntaxErrors(repoRoot: string): Promise<SyntaxProblem[]> {
  const { ts } = await import('ts-morph');
  const problems: SyntaxProblem[] = [];
  for (const file of EDITED_FOLDERS.flatMap((f) => tsFiles(join(repoRoot, f)))) {
    const source = readFileSync(file, 'utf8');
    const result = ts.transpileModule(source, { fileName: file, reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ESNext, module: ts.ModuleKind.ESNext } });
    const diagnostic = result.diagnostics?.find((d) => d.start !== undefined);
    if (!diagnostic) continue;
    const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.ESNext);
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(diagnostic.start!);
    problems.push({ file: relative(repoRoot, file), line: line + 1, column: character + 1, message: ts.flattenDiagnosticMessageText(diagnostic.messageText, ' '), text: source.split('\n')[line] ?? '' });
  }
  return problems;
}

/** Where Node says a module failed to parse (`file:///…/x.ts:12` heading its stack), as a fallback. */
function nodeLocation(error: Error, repoRoot: string): string | undefined {
  const match = /^(file:\/\/\/[^\n]+?):(\d+)$/m.exec(error.stack ?? '');
  return match ? `${relative(repoRoot, fileURLToPath(match[1]))}:${match[2]}` : undefined;
}

/** Print every syntax error in the model and environments (or Node's location of this one); returns the exit code (1). */
export async function reportSyntaxError(error: SyntaxError, repoRoot: string, command: string): Promise<number> {
  const problems = await findSyntaxErrors(repoRoot);
  if (problems.length === 0) {
    const at = nodeLocation(error, repoRoot);
    console.error(`${command}: ${at ? `${at}: ` : ''}syntax error: ${error.message}`);
  }
  for (const p of problems) {
    console.error(`${p.file}:${p.line}:${p.column}: syntax error: ${p.message}`);
    console.error(`  ${p.text.replace(/\t/g, ' ')}`);
    console.error(`  ${' '.repeat(p.column - 1)}^`);
  }
  console.error(`\nNothing was written. Fix the syntax and run npm run ${command} again.`);
  return 1;
}
