// The `validate` and `policy` commands, callable in-process (tests) or from scripts/validate.ts and scripts/policy.ts.
import { parseCommandArgs, UsageError, usageErrorText } from './command.ts';
import { collectFiles, displayPath, InputError, loadDocuments, type Doc } from '../../policy-tests/lib/documents.ts';
import { runPolicy } from '../../policy-tests/lib/engine.ts';
import { errorCount, type Finding, type Report } from '../../policy-tests/lib/findings.ts';
import { FORMATS, render, type Format } from '../../policy-tests/lib/format/index.ts';
import { buildContext, DEFAULT_ENV, envNameOfFile, modelEnvironments } from '../../policy-tests/lib/model-context.ts';
import { RULESETS, type RuleSet } from '../../policy-tests/lib/rule.ts';
import { validateDocuments } from '../../policy-tests/lib/validate.ts';
import { shouldParallelize, validateInWorkers } from '../../policy-tests/lib/validate-parallel.ts';
import type { Rule } from '../../policy-tests/lib/rule.ts';
import { utcToday } from '../../model/today.ts';

export interface CliResult {
  code: 0 | 1 | 2;
  stdout: string;
  stderr: string;
}

const COMMON_HELP = `
Arguments:
  [files or folders...]        YAML files (multi-document) or folders searched for *.yaml/*.yml; default: rendered/

Options:
  --format <f>                 text (default), json, junit, sarif (2.1.0) or github (workflow annotations)
  --env <name>                 environment for files outside rendered/<env>/ (default: the model default, see below)
  --kubernetes-version <1.x>   target Kubernetes version (default: the environment's, else 1.34)
  --no-model                   do not load the platform model (no model registries or waivers)
  -h, --help                   this help

Files under rendered/<env>/ belong to environment <env>: its tier, Kubernetes version, approved registries
and waivers apply. Other files use --env, or else the model default: production tier, the platform's
approved registries, and only waivers that hold in every environment.

Exit status: 0 clean, 1 error findings, 2 usage error or unreadable/unparsable input.`;

export const VALIDATE_HELP = `Usage: npm run validate -- [files or folders...] [options]

Strict schema validation of every document: unknown fields, wrong types and missing required fields are
errors, and so are apiVersion/kind pairs the target Kubernetes version does not serve (removed APIs) or
that have no schema; deprecated APIs are warnings. Schemas: kubernetes-models and @kubernetes-models/*
(made strict), plus policy-tests/schemas/ for the CRDs no package carries.

Validate options:
  --jobs <n>                   worker threads that parse and validate (default 1: the main thread only);
                               used on trees of 4 MB or more; pays off when cores are idle
${COMMON_HELP}
`;

export const POLICY_HELP = `Usage: npm run policy -- [files or folders...] [options]

Runs the policy rule catalog (docs/POLICIES.md) over all given documents at once, so cross-resource rules
(PodDisruptionBudgets, default-deny NetworkPolicies, autoscalers) see the whole set.

Policy options:
  --ruleset <name>             ${RULESETS.join(', ')} (repeatable or comma-separated; default all).
                               pss-restricted includes pss-baseline, as the Pod Security Standards do.
  --approved-registry <prefix> approved image registry prefix (repeatable); overrides the model's
  --no-waivers                 ignore all waivers (annotations and model entries)
  --today <YYYY-MM-DD>         date waiver expiry is checked against (default: today, UTC)
  --list-rules                 print the rules of the selected rule sets and exit

Waivers: annotate an object with waivers.gamemetrics.dev/<ruleset>.<rule>: "<reason>", or add an entry to
model/policies.ts (rule, target, reason, expires, approvedBy). Waived findings are listed separately.
${COMMON_HELP}
`;

const validateOptions = {
  jobs: { type: 'string' },
} as const;

const commonOptions = {
  format: { type: 'string', default: 'text' },
  env: { type: 'string' },
  'kubernetes-version': { type: 'string' },
  'no-model': { type: 'boolean', default: false },
} as const;

const policyOptions = {
  ...commonOptions,
  ruleset: { type: 'string', multiple: true },
  'approved-registry': { type: 'string', multiple: true },
  'no-waivers': { type: 'boolean', default: false },
  today: { type: 'string' },
  'list-rules': { type: 'boolean', default: false },
} as const;

type Command = 'validate' | 'policy';
const HELP: Record<Command, string> = { validate: VALIDATE_HELP, policy: POLICY_HELP };
const usage = (msg: string, cmd: Command): CliResult => ({ code: 2, stdout: '', stderr: usageErrorText({ name: cmd, usage: HELP[cmd] }, new UsageError(msg)) });

interface Run {
  docs: Array<Pick<Doc, 'file' | 'index' | 'ref'>>;
  files: string[];
  ctx: Awaited<ReturnType<typeof buildContext>>;
}

const contextOptions = (values: Record<string, unknown>, approvedRegistries?: string[]) => ({
  env: values.env as string | undefined,
  kubernetesVersion: values['kubernetes-version'] as string | undefined,
  approvedRegistries,
  noModel: values['no-model'] as boolean,
});
const inputPaths = (positionals: string[]) => (positionals.length ? positionals : ['rendered']);

async function load(positionals: string[], values: Record<string, unknown>, approvedRegistries?: string[]): Promise<Run & { docs: Doc[] }> {
  const { files, docs } = loadDocuments(inputPaths(positionals));
  const ctx = await buildContext(docs, contextOptions(values, approvedRegistries));
  return { files, docs, ctx };
}

/** Validate large trees in worker threads, small ones here. */
async function validateRun(positionals: string[], values: Record<string, unknown>): Promise<{ run: Run; findings: Finding[] }> {
  const files = collectFiles(inputPaths(positionals));
  const jobs = values.jobs === undefined ? null : Number(values.jobs);
  if (jobs !== null && !(Number.isInteger(jobs) && jobs >= 1)) throw new InputError([`--jobs "${String(values.jobs)}" is not a positive whole number`]);
  if (jobs === null || jobs === 1 || !shouldParallelize(files)) {
    const run = await load(positionals, values);
    return { run, findings: await validateDocuments(run.docs, { kubernetesMinor: run.ctx.kubernetesMinor }) };
  }
  const located = files.map((f) => ({ file: displayPath(f) }));
  const ctx = await buildContext(located, contextOptions(values));
  const defaultEnv = (values.env as string | undefined) ?? DEFAULT_ENV;
  const minorByEnv: Record<string, number> = {};
  for (const l of located) minorByEnv[envNameOfFile(l.file) ?? defaultEnv] ??= ctx.kubernetesMinor(l);
  const r = await validateInWorkers({ files, minorByEnv, defaultEnv, defaultMinor: minorByEnv[defaultEnv] ?? 34 }, jobs);
  return { run: { files, docs: r.docs, ctx }, findings: r.findings };
}

function finish(cmd: 'validate' | 'policy', format: Format, run: Run, findings: Finding[], color: boolean, catalog: Rule[] = []): CliResult {
  const report: Report = {
    tool: cmd,
    files: run.files.length,
    documents: run.docs.length,
    findings,
    rules: catalog.map((r) => ({ id: r.id, title: r.title, rationale: r.rationale, fix: r.fix, severity: r.severity })),
    notes: run.ctx.notes,
  };
  return { code: errorCount(report) ? 1 : 0, stdout: render(format, report, run.docs, color), stderr: '' };
}

async function guarded(cmd: string, fn: () => Promise<CliResult>): Promise<CliResult> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof InputError) return { code: 2, stdout: '', stderr: e.problems.map((p) => `${cmd}: ${p}`).join('\n') + '\n' };
    throw e;
  }
}

type Options = typeof commonOptions | typeof policyOptions | (typeof commonOptions & typeof validateOptions);

/** Parse arguments; a result with `code` ends the command (help, usage error). */
async function begin(cmd: Command, argv: string[], options: Options): Promise<CliResult | { values: Record<string, unknown>; positionals: string[]; format: Format }> {
  let parsed;
  try {
    parsed = parseCommandArgs({ name: cmd, usage: HELP[cmd], options, positionals: true }, argv);
  } catch (e) {
    if (e instanceof UsageError) return usage(e.message, cmd);
    throw e;
  }
  if (parsed === 'help') return { code: 0, stdout: HELP[cmd], stderr: '' };
  const values = parsed.values as Record<string, unknown>;
  if (!(FORMATS as readonly string[]).includes(String(values.format))) return usage(`unknown format "${String(values.format)}" (one of ${FORMATS.join(', ')})`, cmd);
  const known = typeof values.env === 'string' && !values['no-model'] ? await modelEnvironments() : null;
  if (known && !known.includes(values.env as string)) return usage(`unknown environment "${String(values.env)}"; known: ${known.join(', ')}`, cmd);
  return { values, positionals: parsed.positionals, format: values.format as Format };
}

export async function validateCli(argv: string[], color = false): Promise<CliResult> {
  const start = await begin('validate', argv, { ...commonOptions, ...validateOptions });
  if ('code' in start) return start;
  const { values, positionals, format } = start;
  return guarded('validate', async () => {
    const { run, findings } = await validateRun(positionals, values);
    return finish('validate', format, run, findings, color);
  });
}

export async function policyCli(argv: string[], color = false, today = utcToday()): Promise<CliResult> {
  const start = await begin('policy', argv, policyOptions);
  if ('code' in start) return start;
  const { values, positionals, format } = start;
  const rulesets = ((values.ruleset as string[] | undefined) ?? []).flatMap((r) => r.split(',')).filter(Boolean);
  const bad = rulesets.filter((r) => !(RULESETS as readonly string[]).includes(r));
  if (bad.length) return usage(`unknown rule set ${bad.join(', ')} (one of ${RULESETS.join(', ')})`, 'policy');
  if (values['list-rules']) {
    const { CATALOG } = await import('../../policy-tests/rules/index.ts');
    const { selectRules } = await import('../../policy-tests/lib/engine.ts');
    const rows = selectRules(CATALOG, rulesets as RuleSet[]).map((r) => `${r.id.padEnd(46)} ${r.severity.padEnd(8)} ${'policy' in r.kyverno ? 'kyverno ' : 'ci-only '} ${r.title}`);
    return { code: 0, stdout: rows.join('\n') + '\n', stderr: '' };
  }
  const day = (values.today as string | undefined) ?? today;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return usage(`--today "${day}" is not YYYY-MM-DD`, 'policy');
  return guarded('policy', async () => {
    const run = await load(positionals, values, values['approved-registry'] as string[] | undefined);
    // The catalog (with its fixtures) loads only for the policy command.
    const { CATALOG } = await import('../../policy-tests/rules/index.ts');
    const findings = runPolicy(run.docs, CATALOG, {
      rulesets: rulesets as RuleSet[],
      envOf: run.ctx.envOf,
      waivers: run.ctx.waivers,
      noWaivers: values['no-waivers'] as boolean,
      today: day,
    });
    return finish('policy', format, run, findings, color, CATALOG);
  });
}

/** Entry point for scripts/: run, print, exit. */
export async function main(cli: (argv: string[], color: boolean) => Promise<CliResult>): Promise<void> {
  const r = await cli(process.argv.slice(2), !!process.stdout.isTTY && !process.env.NO_COLOR);
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  process.exitCode = r.code;
}
