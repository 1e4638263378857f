// npm run render [-- --env <env>] [--check]: render rendered/<env>/ and docs/architecture.md from the model.
import { useCompileCache } from './cli/compile-cache.ts';
import { useFastResolve } from './cli/fast-resolve.ts';
import { loadCommand } from './cli/load-command.ts';

useCompileCache();
useFastResolve();
await loadCommand('render', () => import('./cli/render.ts'));
