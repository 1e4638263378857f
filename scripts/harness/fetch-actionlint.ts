/**
 * Builds actionlint into the harness cache when it is missing (setup.sh runs it; a check otherwise), so the
 * workflow test never builds inside its timeout.
 *
 *   node scripts/harness/fetch-actionlint.ts
 */
import { existsSync } from 'node:fs';
import { ACTIONLINT_VERSION, actionlintPath, ensureActionlint } from './actionlint.ts';

const started = Date.now();
const had = existsSync(actionlintPath());
try {
  const binary = ensureActionlint();
  console.log(`actionlint ${ACTIONLINT_VERSION} ${had ? 'ready' : `built in ${((Date.now() - started) / 1000).toFixed(1)} s`}: ${binary}`);
} catch (error) {
  console.error(`fetch-actionlint: ${(error as Error).message}`);
  process.exit(1);
}
