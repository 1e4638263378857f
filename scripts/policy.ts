// npm run policy -- [files or folders...] [--ruleset ...] [--approved-registry ...] [--no-waivers]: the policy rules.
import { main, policyCli } from '../policy-tests/lib/cli.ts';

await main(policyCli);
