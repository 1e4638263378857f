// Prints a ModelError for people: each problem with its file and line, path, message and hint.
import { relative } from 'node:path';
import { ModelError, formatProblem } from '../../model/problems.ts';

/** Fill in file and line (repository-relative) of every problem, using the model's sources. */
export async function locateAll(error: ModelError, repoRoot: string): Promise<void> {
  const { locateProblems } = await import('../../model/locate.ts');
  locateProblems(error.problems, repoRoot);
  for (const problem of error.problems) if (problem.file) problem.file = relative(repoRoot, problem.file);
}

/** Print every problem; returns the exit code (1). */
export async function reportModelError(error: ModelError, repoRoot: string): Promise<number> {
  await locateAll(error, repoRoot);
  console.error(`The model has ${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}:`);
  for (const problem of error.problems) console.error(`  ✗ ${formatProblem(problem)}`);
  console.error('\nNothing was written. Fix the model and run npm run render again.');
  return 1;
}
