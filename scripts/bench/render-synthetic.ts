// Renders a synthetic model of --services N (--variant V: one service's configuration changed)
// into --out <dir> (all three environments): one cold
// process running what `npm run render` runs (render/render-pipeline.ts: Kafka guards, background writer,
// staging tree and swap), with the synthetic model in place of model/. Used by scripts/bench/render.ts.
import { parseArgs } from 'node:util';
import { useCompileCache } from '../cli/compile-cache.ts';
import { useFastResolve } from '../cli/fast-resolve.ts';

useCompileCache();
useFastResolve();
const { renderTree } = await import('../../render/render-pipeline.ts');
const { syntheticModel } = await import('./synthetic-model.ts');

const { values } = parseArgs({ options: { services: { type: 'string' }, out: { type: 'string' }, variant: { type: 'string', default: '0' } } });
const synthetic = syntheticModel(Number(values.services), Number(values.variant));
const result = await renderTree({
  envs: synthetic.environments.map((e) => e.name),
  repoRoot: values.out!,
  renderedDir: values.out!,
  load: { ...synthetic, today: '2026-01-01' },
});
const files = result.files.reduce((sum, e) => sum + e.files, 0);
process.stdout.write(`${JSON.stringify({ files })}\n`);
