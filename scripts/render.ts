// npm run render [-- --env <env>] [--check]: render rendered/<env>/ and docs/architecture.md from the model.
// A syntax error in a model file is reported as one (file:line:column and a caret); any other exception
// that reaches here is a bug, reported in one line. Either way nothing was written (render/render-pipeline.ts).
import { join } from 'node:path';
import { useCompileCache } from './cli/compile-cache.ts';
import { describeError, reportInternalError } from './cli/report-problems.ts';

useCompileCache();
try {
  await import('./cli/render.ts');
} catch (error) {
  const repoRoot = join(import.meta.dirname, '..');
  if (error instanceof SyntaxError) {
    const { reportSyntaxError } = await import('./cli/syntax-errors.ts');
    process.exitCode = await reportSyntaxError(error, repoRoot, 'render');
  } else {
    process.exitCode = reportInternalError('render', describeError(error));
  }
}
