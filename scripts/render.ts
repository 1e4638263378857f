// npm run render [-- --env <env>] [--check]: render rendered/<env>/ and docs/architecture.md from the model.
import { useCompileCache } from './cli/compile-cache.ts';

useCompileCache();
await import('./cli/render.ts');
