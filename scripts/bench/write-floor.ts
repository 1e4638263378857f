// The disk's floor for a render: the same files as scripts/bench/render-synthetic.ts (rendered
// untimed), written into --out with plain fs.writeFileSync and nothing else. Prints the write time
// alone. Used by scripts/bench/render.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { renderAll } from '../../render/render.ts';
import { syntheticModel } from './synthetic-model.ts';

const { values } = parseArgs({ options: { services: { type: 'string' }, out: { type: 'string' } } });
const result = renderAll(undefined, { ...syntheticModel(Number(values.services)), today: '2026-01-01' });
const start = performance.now();
const made = new Set<string>();
let files = 0;
for (const env of result.environments) {
  for (const [path, content] of env.files) {
    const target = join(values.out!, env.env, path);
    if (!made.has(dirname(target))) {
      mkdirSync(dirname(target), { recursive: true });
      made.add(dirname(target));
    }
    writeFileSync(target, content);
    files++;
  }
}
process.stdout.write(`${JSON.stringify({ files, writeMs: performance.now() - start })}\n`);
