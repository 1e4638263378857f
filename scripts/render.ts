// npm run render [-- --env <env>] [--check]: render rendered/<env>/ and docs/architecture.md from the model.
// The npm script starts Node with a 64 MB young generation (--min-semi-space-size=64): a render allocates
// about 40 MB, so it runs without a garbage collection (5 % fewer instructions, docs/BENCHMARKS.md).
import { useCompileCache } from './cli/compile-cache.ts';
import { useFastResolve } from './cli/fast-resolve.ts';
import { loadCommand } from './cli/load-command.ts';

useCompileCache();
useFastResolve();
await loadCommand('render', () => import('./cli/render.ts'));
