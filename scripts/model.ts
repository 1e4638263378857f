// npm run model -- --env <env> [--format json|yaml]: print the loaded, normalised model of an environment.
import { loadCommand } from './cli/load-command.ts';

await loadCommand('model', () => import('./cli/model.ts'));
