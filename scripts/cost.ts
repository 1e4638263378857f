// npm run cost -- [--env <env>]... [--format text|markdown]: requested CPU and memory per tenant and environment, priced monthly.
import { loadCommand } from './cli/load-command.ts';

await loadCommand('cost', () => import('./cli/cost.ts'));
