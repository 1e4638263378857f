// npm run validate -- [files or folders...] [--format text|json|junit|sarif|github]: strict schema validation.
import { main, validateCli } from './cli/validate-policy.ts';

await main(validateCli);
