// npm run render [-- --env <env>] [--check] [--force]: render rendered/<env>/ and the generated docs from the model.
// The npm script starts Node with a 64 MB young generation (--min-semi-space-size=64): a render allocates
// about 40 MB, so it runs without a garbage collection (5 % fewer instructions, docs/BENCHMARKS.md).
// The preflight comes first: when nothing changed since the last render it answers before the model loads.
import { join } from 'node:path';
import { useCompileCache } from './cli/compile-cache.ts';
import { useFastResolve } from './cli/fast-resolve.ts';
import { loadCommand } from './cli/load-command.ts';

useCompileCache();
useFastResolve();
const { preflight } = await import('./cli/render-preflight.ts');
const start = preflight(process.argv.slice(2), join(import.meta.dirname, '..'));
if (!start.upToDate) await loadCommand('render', async () => (await import('./cli/render.ts')).runRender(start));
