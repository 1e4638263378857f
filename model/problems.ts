// Model problems: what is wrong, where (model path, then file and line), and how to fix it.

export type PathSegment = string | number;

export interface Problem {
  /** Where in the model, as segments: ['tenants', 'gamemetrics', 'services', 'event-processor', 'consumes', 0]. */
  path: PathSegment[];
  message: string;
  /** A concrete fix, e.g. 'did you mean "player.events.raw"?'. */
  hint?: string;
  /** Source location, filled in by `locateProblems()` when the model comes from files. */
  file?: string;
  line?: number;
  /** Not a problem in the model but a bug in the loader (an exception it did not expect): `message` says what failed where. */
  internal?: boolean;
}

const plainSegment = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `tenants.gamemetrics.services.event-processor.consumes[0]`; keys with dots are bracketed: `topics['player.events.raw']`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (plainSegment.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `['${segment}']`;
  }
  return out;
}

export function formatProblem(problem: Problem): string {
  const where = problem.file ? `${problem.file}${problem.line ? `:${problem.line}` : ''}: ` : '';
  const hint = problem.hint ? ` (${problem.hint})` : '';
  return `${where}${formatPath(problem.path)}: ${problem.message}${hint}`;
}

/**
 * One list from every environment's problems: a problem shared by several environments is reported
 * once, naming them unless it concerns all of them (or names its environment in its path).
 */
export function mergeProblems(byEnvironment: ReadonlyArray<{ env: string; problems: readonly Problem[] }>, envs: readonly string[]): Problem[] {
  const merged = new Map<string, Problem & { environments: string[] }>();
  for (const { env, problems } of byEnvironment) {
    for (const problem of problems) {
      const key = formatProblem(problem);
      const seen = merged.get(key);
      if (seen) seen.environments.push(env);
      else merged.set(key, { ...problem, environments: [env] });
    }
  }
  return [...merged.values()].map(({ environments, ...problem }) =>
    environments.length === envs.length || problem.path[0] === 'environments' ? problem : { ...problem, message: `${problem.message} [in ${environments.join(', ')}]` });
}


export class ModelError extends Error {
  readonly problems: Problem[];
  constructor(problems: Problem[]) {
    super(`the model has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`);
    this.name = 'ModelError';
    this.problems = problems;
  }
}

/** The closest candidate by edit distance, when it is close enough to be a likely typo. */
export function suggest(value: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(value, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(value.length / 3)) ? best : undefined;
}

/** A "did you mean" hint, or a list of what is allowed when nothing is close. */
export function unknownNameHint(value: string, candidates: readonly string[]): string {
  const close = suggest(value, candidates);
  return close ? `did you mean "${close}"?` : `expected one of: ${[...candidates].sort().join(', ')}`;
}

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length];
}
