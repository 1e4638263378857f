// npm run policy -- [files or folders...] [--ruleset ...] [--approved-registry ...] [--no-waivers]: the policy rules.
import { main, policyCli } from './cli/validate-policy.ts';

await main(policyCli);
