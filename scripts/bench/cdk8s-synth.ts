// The same objects as scripts/bench/render-synthetic.ts, synthesised by cdk8s (one file per
// resource) into --out <dir>: the alternative measured in the same run.
import { parseArgs } from 'node:util';
import { useCompileCache } from '../cli/compile-cache.ts';

// The same compile cache as our renderer, so both sides load their code equally fast.
useCompileCache();
const { ApiObject, App, Chart, YamlOutputType } = await import('cdk8s');
const { generate } = await import('../../generators/index.ts');
const { loadModel } = await import('../../render/sources.ts');
const { syntheticModel } = await import('./synthetic-model.ts');

const { values } = parseArgs({ options: { services: { type: 'string' }, out: { type: 'string' } } });
const synthetic = syntheticModel(Number(values.services));
const app = new App({ outdir: values.out!, yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
let files = 0;
for (const env of synthetic.environments) {
  const chart = new Chart(app, env.name, { disableResourceNameHashes: true });
  for (const file of generate(loadModel(env.name, { ...synthetic, today: '2026-01-01' }))) {
    const { apiVersion, kind, metadata, ...rest } = file.object;
    new ApiObject(chart, file.path, { apiVersion, kind, metadata: metadata as never, ...rest });
    files++;
  }
}
app.synth();
process.stdout.write(`${JSON.stringify({ files })}\n`);
