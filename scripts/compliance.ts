// npm run compliance [-- --check]: docs/compliance.md, one row per control of the control catalog.
import { loadCommand } from './cli/load-command.ts';

await loadCommand('compliance', () => import('./cli/compliance.ts'));
