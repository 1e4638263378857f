// npm run model -- --env <env> [--format json|yaml]: print the loaded, normalised model of an environment.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { environmentNames, loadModel } from '../render/sources.ts';
import { ModelError } from '../model/problems.ts';
import { describeError, reportInternalError, reportModelError } from './cli/report-problems.ts';
import { emitYaml } from '../generators/core/yaml-emitter.ts';

const usage = `Usage: npm run model -- --env <name> [--format json|yaml]

Prints the loaded model of one environment, every default applied: the platform's catalog for
other tools. Environments: ${environmentNames().join(', ')}. Default format: json.`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ options: { env: { type: 'string' }, format: { type: 'string', default: 'json' }, help: { type: 'boolean' } } }));
  } catch (error) {
    console.error(`model: ${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (!values.env || !environmentNames().includes(values.env)) {
    console.error(`model: --env must be one of ${environmentNames().join(', ')}${values.env ? `, not "${values.env}"` : ''}\n\n${usage}`);
    return 2;
  }
  if (values.format !== 'json' && values.format !== 'yaml') {
    console.error(`model: --format must be json or yaml, not "${values.format}"`);
    return 2;
  }
  try {
    const model = loadModel(values.env);
    process.stdout.write(values.format === 'json' ? `${JSON.stringify(model, null, 2)}\n` : emitYaml(model as unknown as Record<string, unknown>));
    return 0;
  } catch (error) {
    if (error instanceof ModelError) return reportModelError(error, join(import.meta.dirname, '..'), 'model');
    return reportInternalError('model', describeError(error));
  }
}

process.exitCode = await main();
