// The model command (scripts/model.ts is its entry point): print the loaded, normalised model of an environment.
import { join } from 'node:path';
import { environmentNames, loadModel } from '../../render/sources.ts';
import { ModelError } from '../../model/problems.ts';
import { describeError, reportInternalError, reportModelError } from './report-problems.ts';
import { emitYaml } from '../../generators/core/yaml-emitter.ts';
import { runCommand, UsageError } from './command.ts';

const usage = `Usage: npm run model -- --env <name> [--format json|yaml]

Prints the loaded model of one environment, every default applied: the platform's catalog for
other tools. Environments: ${environmentNames().join(', ')}. Default format: json.

Exit codes: 0 printed, 1 model problems, 2 usage error.`;

const options = { env: { type: 'string' }, format: { type: 'string', default: 'json' } } as const;

await runCommand({ name: 'model', usage, options }, ({ values }) => {
  const known = environmentNames().join(', ');
  if (!values.env) throw new UsageError(`--env is required; known: ${known}`);
  if (!environmentNames().includes(values.env)) throw new UsageError(`unknown environment "${values.env}"; known: ${known}`);
  if (values.format !== 'json' && values.format !== 'yaml') throw new UsageError(`--format must be json or yaml, not "${values.format}"`);
  try {
    const model = loadModel(values.env);
    process.stdout.write(values.format === 'json' ? `${JSON.stringify(model, null, 2)}\n` : emitYaml(model as unknown as Record<string, unknown>));
    return 0;
  } catch (error) {
    if (error instanceof ModelError) return reportModelError(error, join(import.meta.dirname, '..', '..'), 'model');
    return reportInternalError('model', describeError(error));
  }
});
