/**
 * Builds the Go tools (scripts/harness/go-tools.ts: actionlint, gitleaks) into the harness cache when they are
 * missing (setup.sh runs it; a check otherwise), so no test builds inside its timeout.
 *
 *   node scripts/harness/fetch-go-tools.ts
 */
import { existsSync } from 'node:fs';
import { ensureGoTool, GO_TOOLS, goToolPath } from './go-tools.ts';

for (const tool of GO_TOOLS) {
  const started = Date.now();
  const had = existsSync(goToolPath(tool));
  try {
    const binary = ensureGoTool(tool);
    console.log(`${tool.name} ${tool.version} ${had ? 'ready' : `built in ${((Date.now() - started) / 1000).toFixed(1)} s`}: ${binary}`);
  } catch (error) {
    console.error(`fetch-go-tools: ${(error as Error).message}`);
    process.exit(1);
  }
}
