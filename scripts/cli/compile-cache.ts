// Node's on-disk compile cache (type-stripped TypeScript included), kept in node_modules/.cache.
// Entry points call this before dynamically importing their command: start-up drops by about half.
// The npm scripts also set NODE_COMPILE_CACHE to the same folder, so the entry file itself comes
// from the cache and Node's TypeScript stripper is not loaded at all (~70 ms less per command).
import { enableCompileCache } from 'node:module';
import { join } from 'node:path';

export function useCompileCache(): void {
  enableCompileCache(join(import.meta.dirname, '../../node_modules/.cache/node-compile-cache'));
}
