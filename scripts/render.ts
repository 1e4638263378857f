// npm run render [-- --env <env>] [--check]: render rendered/<env>/ and docs/architecture.md from the model.
import { useCompileCache } from './lib/compile-cache.ts';

useCompileCache();
await import('./lib/render-command.ts');
