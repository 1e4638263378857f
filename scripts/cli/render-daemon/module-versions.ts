// How the render daemon re-imports what changed. Every module of the checkout is imported under a URL that
// carries its version (`…/loader.ts?v=3`). Renewing a module gives it, and every module that imports it directly
// or through others, a new version: the next import of the render's entry modules then loads exactly those
// afresh, and every other module stays loaded and compiled, shared by old and new versions alike. Node never
// unloads a module, so each version stays in memory: the daemon counts them and restarts in time.
import { registerHooks } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export class ModuleVersions {
  /** Module path → the modules that import it (statically, or dynamically once they did). */
  private readonly importers = new Map<string, Set<string>>();
  private readonly versions = new Map<string, number>();
  private readonly root: string;
  /** Incremented by every renewal; the version a renewed module gets. */
  generation = 0;
  /** Modules loaded under new versions since the daemon started. */
  renewed = 0;

  /** `root`: the checkout (absolute, no trailing slash); modules outside it, node_modules' included, are never renewed. */
  constructor(root: string) {
    this.root = `${root}/`;
  }

  /** Install the resolve hook; call before the first module of the checkout that may be renewed is imported. */
  install(): void {
    registerHooks({
      resolve: (specifier, context, nextResolve) => {
        const resolved = nextResolve(specifier, context);
        if (!resolved.url.startsWith('file:')) return resolved;
        const url = new URL(resolved.url);
        const path = fileURLToPath(url);
        if (!path.startsWith(this.root) || path.includes('/node_modules/')) return resolved;
        if (context.parentURL?.startsWith('file:')) {
          const parent = fileURLToPath(context.parentURL);
          let set = this.importers.get(path);
          if (!set) this.importers.set(path, (set = new Set()));
          set.add(parent);
        }
        const version = this.versions.get(path);
        url.search = version ? `?v=${version}` : '';
        return { ...resolved, url: url.href };
      },
    });
  }

  /** Whether `path` (absolute) has been imported as a module. */
  isModule(path: string): boolean {
    return this.importers.has(path);
  }

  /** Every module imported so far (absolute paths). */
  modules(): string[] {
    return [...this.importers.keys()];
  }

  /** Give `paths` and everything that imports them, transitively, a new version; how many modules that is. */
  renew(paths: Iterable<string>): number {
    this.generation++;
    const pending = [...paths];
    const seen = new Set<string>();
    while (pending.length > 0) {
      const path = pending.pop()!;
      if (seen.has(path)) continue;
      seen.add(path);
      this.versions.set(path, this.generation);
      for (const importer of this.importers.get(path) ?? []) pending.push(importer);
    }
    this.renewed += seen.size;
    return seen.size;
  }

  /** Import the module at `path` (absolute) in its current version. */
  import<T>(path: string): Promise<T> {
    const version = this.versions.get(path);
    // The version is in the specifier itself: Node caches what a specifier resolved to.
    return import(`${pathToFileURL(path).href}${version ? `?v=${version}` : ''}`) as Promise<T>;
  }
}
