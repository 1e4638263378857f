// Loads a command's body, which imports the model: a syntax error in a model file is reported as one
// (file:line:column and a caret); any other exception that reaches here is a bug, reported in one line.
// Either way the command wrote nothing and exits 1.
import { join } from 'node:path';
import { describeError, reportInternalError } from './report-problems.ts';

export async function loadCommand(name: string, load: () => Promise<unknown>): Promise<void> {
  try {
    await load();
  } catch (error) {
    const repoRoot = join(import.meta.dirname, '..', '..');
    if (error instanceof SyntaxError) {
      const { reportSyntaxError } = await import('./syntax-errors.ts');
      process.exitCode = await reportSyntaxError(error, repoRoot, name);
    } else {
      process.exitCode = reportInternalError(name, describeError(error));
    }
  }
}
