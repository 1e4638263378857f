// A scratch copy of the checkout for tests and benchmarks that run the render command on it: what a render
// reads (render/inputs.ts), the commands (scripts/, without the server harness), rendered/ and docs/.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { RENDER_SOURCE_FOLDERS } from '../inputs.ts';

const repo = join(import.meta.dirname, '..', '..');
const ENTRIES = [...RENDER_SOURCE_FOLDERS, 'scripts', 'rendered', 'docs', 'package.json', 'tsconfig.json'];

/**
 * A new folder under the system's temporary folder (`prefix` names it) holding the copy. node_modules is a link to
 * the checkout's; with `ownCaches`, a folder of links to its packages instead, so that node_modules/.cache (the
 * compile cache, the render's record, a render daemon's socket) belongs to the copy alone.
 */
export function scratchCheckout(prefix: string, options: { ownCaches?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const skip = `${sep}${join('scripts', 'harness')}`;
  for (const entry of ENTRIES) cpSync(join(repo, entry), join(dir, entry), { recursive: true, filter: (src) => !src.includes(skip) && !src.endsWith('.test.ts') });
  if (!options.ownCaches) {
    symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
    return dir;
  }
  mkdirSync(join(dir, 'node_modules'));
  for (const entry of readdirSync(join(repo, 'node_modules'))) if (entry !== '.cache') symlinkSync(join(repo, 'node_modules', entry), join(dir, 'node_modules', entry));
  return dir;
}
