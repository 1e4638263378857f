// Everything a render reads, declared once: what scratch copies of the repository copy, and what the
// up-to-date check (render/last-render.ts) compares before it skips a render. render/inputs.test.ts holds
// this list to what a render actually imports and reads.
import { controlsFile } from '../compliance/catalog-file.ts';

/**
 * The folders (and the one file of the services) a render reads its code and model from: the model checks
 * latency thresholds against service-kit's histogram buckets.
 */
export const RENDER_SOURCE_FOLDERS = ['model', 'environments', 'generators', 'render', 'policy-tests', 'migrations', 'compliance', 'apps/lib/http-buckets.ts'] as const;

/** Files that pin the installed packages the render imports: the lockfile and npm's record of node_modules. */
export const RENDER_PACKAGE_FILES = ['package-lock.json', 'node_modules/.package-lock.json'] as const;

/** Files under the source folders that no render reads: tests and their data. */
export function isTestFile(name: string): boolean {
  return name.endsWith('.test.ts') || name === 'testdata' || name === 'fixtures';
}

/** Every input path: repository-relative, except the control catalog, which lives beside the checkout (absolute). */
export function renderInputs(): string[] {
  return [...RENDER_SOURCE_FOLDERS, ...RENDER_PACKAGE_FILES, controlsFile()];
}

/** Whether a repository-relative path is one of the declared inputs (a file in a source folder that is not a test). */
export function isDeclaredInput(path: string): boolean {
  const inside = [...RENDER_SOURCE_FOLDERS, ...RENDER_PACKAGE_FILES].some((input) => path === input || path.startsWith(`${input}/`));
  return inside && !path.split('/').some(isTestFile);
}
