// The render command (scripts/render.ts is its entry point, render-preflight.ts its first step): render
// rendered/<env>/ and the generated docs from the model, and record what it read and wrote for the next preflight.
import { join } from 'node:path';
import { forgetRender, recordRender } from '../../render/last-render.ts';
import type { Preflight } from './render-preflight.ts';
import { RENDER_OPTIONS, renderedMessage } from './render-io.ts';
import { environmentNames } from '../../render/sources.ts';
import { ModelError } from '../../model/problems.ts';
import { ControlCatalogError } from '../../compliance/report.ts';
import { RenderConflictError } from '../../generators/core/conflicts.ts';
import { reportModelError } from './report-problems.ts';
import { renderTree } from '../../render/render-pipeline.ts';
import { runCommand, UsageError } from './command.ts';

const usage = `Usage: npm run render [-- [--env <name>]... [--check] [--force] [--no-daemon]] | [-- --stop-daemon]

Renders rendered/<env>/ for every environment (or the given ones) and the generated docs (docs/architecture.md,
docs/externals.md, docs/rate-limits.md, docs/compliance.md). When nothing the last render read or wrote has
changed since (the model, the generators, the date, the files in rendered/), it says so without rendering.
  --env <name>   render only this environment (repeatable): ${environmentNames().join(', ')}
  --check        render in memory and compare with the files on disk; exit 1 listing every
                 changed, missing or extra file (CI runs this; never skipped)
  --force        render even when nothing changed since the last render
  --no-daemon    render in this process, and start no render daemon
  --stop-daemon  stop the checkout's render daemon (alone)

Renders go through a render daemon when one runs: a background process per checkout that keeps the render's
code loaded and renders as soon as an input changes, so that the command mostly has to write. The command starts
one after rendering; it stops after 30 minutes without a render, and whenever it cannot take in a change (its own
code, the installed packages). Set GAMEMETRICS_RENDER_DAEMON=0 to do without (CI and tests always do); the
daemon's log is node_modules/.cache/gamemetrics-render/daemon-*.log.
  -h, --help     show this help

Exit codes: 0 done (or up to date), 1 model problems or stale output, 2 usage error.`;

const repoRoot = join(import.meta.dirname, '../..');
const renderedDir = join(repoRoot, 'rendered');

/** The full command; `start` is what the preflight found (scripts/render.ts runs it first). */
export async function runRender(start: Extract<Preflight, { upToDate: false }>): Promise<void> {
  await runCommand({ name: 'render', usage, options: RENDER_OPTIONS }, async (args) => {
    const known = environmentNames();
    const envs = args.values.env ?? known;
    const unknown = envs.filter((e) => !known.includes(e));
    if (args.values['stop-daemon']) throw new UsageError('--stop-daemon takes no other argument');
    if (unknown.length > 0) throw new UsageError(`unknown environment ${unknown.map((e) => `"${e}"`).join(', ')}; known: ${known.join(', ')}`);
    let result;
    const check = args.values.check;
    if (!check) forgetRender(repoRoot);
    try {
      result = await renderTree({ envs, repoRoot, renderedDir, check, load: { today: start.today } });
    } catch (error) {
      if (error instanceof ModelError) return await reportModelError(error, repoRoot);
      if (error instanceof ControlCatalogError) {
        console.error(`render: ${error.message}. Nothing was written.`);
        return 1;
      }
      if (error instanceof RenderConflictError) {
        console.error(`render: ${error.message}`);
        return 1;
      }
      throw error;
    }
    if (result.difference) {
      const diff = result.difference;
      const count = diff.changed.length + diff.missing.length + diff.extra.length;
      if (count === 0) {
        console.log(`render --check: rendered/ is up to date (${envs.join(', ')})`);
        return 0;
      }
      console.error(`render --check: ${count} file(s) differ from the model; run npm run render and commit the result`);
      for (const path of diff.changed) console.error(`  changed  ${path}`);
      for (const path of diff.missing) console.error(`  missing  ${path}`);
      for (const path of diff.extra) console.error(`  extra    ${path}`);
      return 1;
    }
    if (start.inputs && result.outputs) {
      try {
        recordRender({ repoRoot, envs: args.values.env, today: start.today }, start.inputs, result.outputs, result.files);
      } catch (error) {
        console.error(`render: the render is complete, but recording it for the next run's up-to-date check failed (${(error as Error).message}); the next run renders in full`);
      }
    }
    process.stdout.write(renderedMessage(result.files, result.unchanged));
    return 0;
  });
}
