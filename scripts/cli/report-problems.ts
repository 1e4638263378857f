// Prints a ModelError for people: each problem with its file and line, path, message and hint.
import { relative } from 'node:path';
import { ModelError, formatProblem } from '../../model/problems.ts';

/** Fill in file and line (repository-relative) of every problem, using the model's sources. */
export async function locateAll(error: ModelError, repoRoot: string): Promise<void> {
  const { locateProblems } = await import('../../model/locate.ts');
  locateProblems(error.problems, repoRoot);
  for (const problem of error.problems) if (problem.file) problem.file = relative(repoRoot, problem.file);
}

/** An exception nobody expected is a bug, not a user mistake: one line saying so, no stack trace; returns the exit code (1). */
export function reportInternalError(command: string, what: string): number {
  console.error(`${command}: internal error (a bug, not a problem in your model; please report it): ${what}. Nothing was written.`);
  return 1;
}

/** `Name: message at file:line` of an error, from its first stack frame. */
export function describeError(error: unknown): string {
  const err = error instanceof Error ? error : new Error(String(error));
  const frame = /\((?:file:\/\/)?([^)]+:\d+):\d+\)/.exec(err.stack ?? '')?.[1] ?? /at (?:file:\/\/)?(\/[^\s]+:\d+):\d+$/m.exec(err.stack ?? '')?.[1];
  return `${err.name}: ${err.message.split('\n')[0]}${frame ? ` at ${frame}` : ''}`;
}

/** Print every problem; returns the exit code (1). */
export async function reportModelError(error: ModelError, repoRoot: string, command = 'render'): Promise<number> {
  const internal = error.problems.find((p) => p.internal);
  if (internal) return reportInternalError(command, internal.message);
  await locateAll(error, repoRoot);
  console.error(`The model has ${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}:`);
  for (const problem of error.problems) console.error(`  ✗ ${formatProblem(problem)}`);
  console.error('\nNothing was written. Fix the model and run npm run render again.');
  return 1;
}
