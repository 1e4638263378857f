// npm run validate -- [files or folders...] [--format text|json|junit|sarif|github]: strict schema validation.
import { main, validateCli } from '../policy-tests/lib/cli.ts';

await main(validateCli);
