// A module-resolution shortcut for the command entry points: a relative `.ts` import resolves to the
// file URL next to its importer, without Node's per-import URL checks, stat and realpath (no symlinks
// inside the repository, and every such import names its file). About 60 ms of ~400 ms CPU in a render
// (docs/BENCHMARKS.md). Anything else, packages included, goes to Node's resolver.
import { registerHooks } from 'node:module';

export function useFastResolve(): void {
  registerHooks({
    resolve(specifier, context, nextResolve) {
      if ((specifier.startsWith('./') || specifier.startsWith('../')) && specifier.endsWith('.ts') && context.parentURL?.startsWith('file:')) {
        return { url: new URL(specifier, context.parentURL).href, format: 'module-typescript', shortCircuit: true };
      }
      return nextResolve(specifier, context);
    },
  });
}
