// Runs a render (`--check`, so nothing is written) of the repository at argv[2] and prints, as JSON, every file it
// imported and every path it read through node:fs. render/inputs.test.ts holds them to render/inputs.ts.
import fs from 'node:fs';
import { registerHooks, syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = process.argv[2];
const imported = new Set<string>();
const read = new Set<string>();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    if (resolved.url.startsWith('file:')) imported.add(fileURLToPath(resolved.url));
    return resolved;
  },
});
for (const name of ['readFileSync', 'readdirSync', 'existsSync', 'statSync', 'lstatSync', 'openSync', 'opendirSync'] as const) {
  const original = fs[name] as (...args: unknown[]) => unknown;
  (fs as unknown as Record<string, unknown>)[name] = (path: unknown, ...rest: unknown[]) => {
    if (typeof path === 'string') read.add(path);
    else if (path instanceof URL) read.add(fileURLToPath(path));
    return original(path, ...rest);
  };
}
syncBuiltinESMExports();

const { renderTree } = await import(join(repoRoot, 'render/render-pipeline.ts'));
const { environmentNames } = await import(join(repoRoot, 'render/sources.ts'));
const result = await renderTree({ envs: environmentNames(), repoRoot, renderedDir: join(repoRoot, 'rendered'), check: true });
process.stdout.write(JSON.stringify({ imported: [...imported], read: [...read], files: result.files }));
