// The render daemon's process (scripts/cli/render-daemon/server.ts), started in the background by `npm run
// render` and never by hand: it listens on the checkout's socket until idle, stopped (`npm run render --
// --stop-daemon`) or faced with a change it cannot take in. A second one exits at once.
import { join } from 'node:path';
import { useCompileCache } from './cli/compile-cache.ts';
import { useFastResolve } from './cli/fast-resolve.ts';
import { ModuleVersions } from './cli/render-daemon/module-versions.ts';
import { daemonPlace } from './cli/render-daemon/place.ts';

useCompileCache();
useFastResolve();
const repoRoot = join(import.meta.dirname, '..');
const versions = new ModuleVersions(repoRoot);
versions.install();
const place = daemonPlace(repoRoot);
const { RenderDaemon } = await import('./cli/render-daemon/server.ts');
const daemon = place ? new RenderDaemon(repoRoot, place, versions) : undefined;
if (!daemon || !(await daemon.listen())) process.exit(0);
process.on('SIGTERM', () => daemon.stop());
process.on('SIGINT', () => daemon.stop());
await daemon.start();
