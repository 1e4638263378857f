// What `npm run render` takes and what it prints when it ends well, whichever process renders (the command
// itself or the render daemon, scripts/cli/render-daemon/): the same either way. No imports: the command's
// first step loads this before anything else.

/** The render command's options besides -h/--help. */
export const RENDER_OPTIONS = {
  env: { type: 'string', multiple: true },
  check: { type: 'boolean' },
  force: { type: 'boolean' },
  'no-daemon': { type: 'boolean' },
  'stop-daemon': { type: 'boolean' },
} as const;

/** Files per environment, as the render and its record report them. */
export type FileCounts = ReadonlyArray<{ env: string; files: number }>;

const perEnvironment = (counts: FileCounts) => counts.map((e) => `${e.env} ${e.files}`).join(', ');
const total = (counts: FileCounts) => counts.reduce((sum, e) => sum + e.files, 0);

export function upToDateMessage(counts: FileCounts): string {
  return `rendered/ is up to date: nothing the render reads or wrote changed since it last ran (${total(counts)} files: ${perEnvironment(counts)}); --force renders anyway\n`;
}

/** `unchanged`: environments whose folder already held exactly their render. */
export function renderedMessage(counts: FileCounts, unchanged: readonly string[] = []): string {
  const untouched = unchanged.length ? ` (unchanged, left as they were: ${unchanged.join(', ')})` : '';
  return `rendered ${total(counts)} files: ${perEnvironment(counts)}${untouched}\n`;
}
