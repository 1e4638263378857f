// The disk's floor for a render: write --files files totalling --bytes into --out with plain
// fs.writeFileSync (three folders, like three environments), nothing else. Used by scripts/bench/render.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { files: { type: 'string' }, bytes: { type: 'string' }, out: { type: 'string' } } });
const files = Number(values.files);
const content = 'x'.repeat(Math.max(1, Math.round(Number(values.bytes) / files)));
for (const env of ['dev', 'staging', 'prod']) mkdirSync(join(values.out!, env), { recursive: true });
for (let i = 0; i < files; i++) writeFileSync(join(values.out!, ['dev', 'staging', 'prod'][i % 3], `file-${i}.yaml`), content);
process.stdout.write(`${JSON.stringify({ files, bytes: content.length * files })}\n`);
