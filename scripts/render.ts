// npm run render [-- --env <env>] [--check] [--force] [--no-daemon] [--stop-daemon]: render rendered/<env>/ and
// the generated docs from the model.
// The npm script starts Node with a 64 MB young generation (--min-semi-space-size=64): a render allocates
// about 40 MB, so it runs without a garbage collection (5 % fewer instructions, docs/BENCHMARKS.md).
// A running render daemon (scripts/cli/render-daemon/) is asked first; it has usually rendered already. Without
// one, the preflight comes first: when nothing changed since the last render it answers before the model loads;
// then the command renders, and starts a daemon for the next run.
import { writeSync } from 'node:fs';
import { join } from 'node:path';
import { useCompileCache } from './cli/compile-cache.ts';
import { useFastResolve } from './cli/fast-resolve.ts';
import { utcToday } from '../model/today.ts';

useCompileCache();
const argv = process.argv.slice(2);
const repoRoot = join(import.meta.dirname, '..');
const today = utcToday();
const client = await import('./cli/render-daemon/client.ts');
if (argv.length === 1 && argv[0] === '--stop-daemon') {
  writeSync(1, (await client.stopDaemon(repoRoot)) ? 'render daemon stopped\n' : 'no render daemon was running\n');
} else {
  const daemon = client.renderDaemon(repoRoot, argv);
  const reply = daemon ? await daemon.render(today) : null;
  if (reply?.status === 'done') {
    writeSync(1, reply.stdout);
    process.exitCode = reply.code;
  } else {
    // The render in this process: its many relative imports go through the resolve shortcut.
    useFastResolve();
    const { preflight } = await import('./cli/render-preflight.ts');
    const start = preflight(argv, repoRoot, today);
    if (!start.upToDate) {
      const { loadCommand } = await import('./cli/load-command.ts');
      await loadCommand('render', async () => (await import('./cli/render.ts')).runRender(start));
    }
    if (daemon && (reply === null || (reply.status === 'fallback' && reply.stopping)) && !process.exitCode) daemon.start();
  }
}
