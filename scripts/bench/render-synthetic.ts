// Renders a synthetic model of --services N into --out <dir> (all three environments): one
// cold process, as `npm run render` would run it. Used by scripts/bench/render.ts.
import { parseArgs } from 'node:util';
import { useCompileCache } from '../lib/compile-cache.ts';

useCompileCache();
const { renderAll } = await import('../lib/render.ts');
const { writeRendered } = await import('../lib/tree-writer.ts');
const { syntheticModel } = await import('./synthetic-model.ts');

const { values } = parseArgs({ options: { services: { type: 'string' }, out: { type: 'string' } } });
const synthetic = syntheticModel(Number(values.services));
const result = renderAll(undefined, { ...synthetic, today: '2026-01-01' });
writeRendered(values.out!, values.out!, result);
const files = result.environments.reduce((sum, e) => sum + e.files.size, 0);
process.stdout.write(`${JSON.stringify({ files })}\n`);
