// The command-line convention of every npm script: `-h`/`--help` prints the usage on stdout and exits 0;
// a usage mistake prints `<command>: <what is wrong>` (one line each) and the usage on stderr and exits 2;
// findings or refusals exit 1; anything else 0.
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

export interface CommandSpec<O extends ParseArgsOptionsConfig> {
  /** The npm script, e.g. "render" or "bench:diff". */
  name: string;
  /** The whole help text, starting `Usage: npm run <name>`. */
  usage: string;
  /** Options besides -h/--help, which every command has. */
  options: O;
  /** Whether the command takes positional arguments (files, service names). */
  positionals?: boolean;
}

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

/** The parsed arguments of a command with options `O`. */
export type CommandArgs<O extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<{ options: O & typeof HELP; allowPositionals: true; strict: true }>>;

/** A usage mistake found after parsing (an unknown environment, a ref git does not know). */
export class UsageError extends Error {
  readonly problems: string[];
  constructor(...problems: string[]) {
    super(problems.join('; '));
    this.name = 'UsageError';
    this.problems = problems;
  }
}

/** node's parseArgs message, cut to one line ("Unknown option '--x'. To specify a positional…"). */
function oneLine(error: Error): string {
  const first = error.message.split(/\. To specify|\n/)[0];
  return first.charAt(0).toLowerCase() + first.slice(1);
}

/** The arguments, or 'help' for -h/--help; an unknown or malformed option throws a UsageError. */
export function parseCommandArgs<O extends ParseArgsOptionsConfig>(spec: CommandSpec<O>, argv: string[]): CommandArgs<O> | 'help' {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...spec.options, ...HELP }, allowPositionals: spec.positionals ?? false, strict: true });
  } catch (error) {
    throw new UsageError(oneLine(error as Error));
  }
  return (parsed.values as { help?: boolean }).help ? 'help' : (parsed as CommandArgs<O>);
}

/** What a usage error prints: `<command>: <problem>` per problem, a blank line, the usage. */
export function usageErrorText(spec: { name: string; usage: string }, error: UsageError): string {
  return `${error.problems.map((p) => `${spec.name}: ${p}`).join('\n')}\n\n${spec.usage.trimEnd()}\n`;
}

/** Prints the problems and the usage on stderr and exits 2. */
export function exitUsage(spec: { name: string; usage: string }, ...problems: string[]): never {
  process.stderr.write(usageErrorText(spec, new UsageError(...problems)));
  process.exit(2);
}

/** For entry points that run at the top level: the arguments, or the process exits (help 0, usage error 2). */
export function parseCommand<O extends ParseArgsOptionsConfig>(spec: CommandSpec<O>, argv = process.argv.slice(2)): CommandArgs<O> {
  let args;
  try {
    args = parseCommandArgs(spec, argv);
  } catch (error) {
    exitUsage(spec, ...(error as UsageError).problems);
  }
  if (args === 'help') {
    process.stdout.write(`${spec.usage.trimEnd()}\n`);
    process.exit(0);
  }
  return args;
}

/**
 * Parses the arguments and runs `body`; its number is the exit code. A UsageError from `body` prints
 * the problems and the usage and exits 2.
 */
export async function runCommand<O extends ParseArgsOptionsConfig>(spec: CommandSpec<O>, body: (args: CommandArgs<O>) => Promise<number | void> | number | void): Promise<void> {
  const args = parseCommand(spec);
  try {
    const code = await body(args);
    if (code !== undefined) process.exitCode = code;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(usageErrorText(spec, error));
    process.exitCode = 2;
  }
}
