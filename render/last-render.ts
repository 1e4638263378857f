// The record of the last render, so that `npm run render` can tell without loading the model that nothing it
// would write can differ: rendering is a pure function of its inputs (render/inputs.ts), the date and Node's
// version, so when those and every file the last render wrote are as that render left them, a new render would
// write the same bytes. Files and folders are compared by stat, as git's index does (a new or removed file
// changes its folder's times); a file whose times were within RACY_MS of being recorded is compared by content
// too, because a write within the same clock tick can leave its times unchanged. Any doubt is a full render:
// a missing, unreadable or foreign record is simply not used.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { controlsFile } from '../compliance/catalog-file.ts';
import { checkoutKey } from './checkout-key.ts';
import { isTestFile, renderInputs } from './inputs.ts';

/** Times this close to the moment they are recorded may not show a later write in the same tick. */
export const RACY_MS = 2_000;
const FORMAT = 1;

/** size, mtime, ctime, inode, and the content's hash where the times were too recent to trust; null: absent. */
type Entry = [size: number, mtimeMs: number, ctimeMs: number, ino: number, hash?: string] | null;

/** The stat of every path a render depends on; keys are repository-relative, or absolute outside it. */
export interface PathStates {
  files: Record<string, Entry>;
  folders: Record<string, Entry>;
}

interface LastRender extends PathStates {
  format: number;
  key: string;
  /** Files per environment, for the report. */
  summary: Array<{ env: string; files: number }>;
}

/** What decides the output besides the files: the environments asked for, the date (waivers expire), Node, the checkout (and its catalog). */
export interface RenderKey {
  repoRoot: string;
  /** As asked: the names given with --env, or undefined for every environment (environments/ is an input). */
  envs: readonly string[] | undefined;
  today: string;
}

const keyOf = (key: RenderKey) => [process.version, key.today, key.envs?.join(',') ?? '(all)', key.repoRoot, controlsFile()].join('\n');
// node:crypto is loaded on first use: an up-to-date check that hashes nothing does without it (~9 ms).
const hashOf = (content: string | Buffer) => process.getBuiltinModule('node:crypto').createHash('sha1').update(content).digest('hex');

/** Where the record of a checkout lives (node_modules/.cache, per checkout: scratch copies may share node_modules). */
export function recordPath(repoRoot: string): string {
  return join(repoRoot, 'node_modules', '.cache', 'gamemetrics-render', `${checkoutKey(repoRoot)}.json`);
}

const absolute = (repoRoot: string, path: string) => (isAbsolute(path) ? path : `${repoRoot}/${path}`);

/** A folder's "content" is its sorted listing. */
const listing = (path: string) => readdirSync(path).sort().join('\n');

function entryOf(path: string, now: number, content?: () => string | Buffer): Entry {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return null;
  const folder = stat.isDirectory();
  const times: [number, number, number, number] = [folder ? -1 : stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino];
  if (Math.max(stat.mtimeMs, stat.ctimeMs) <= now - RACY_MS) return times;
  return [...times, hashOf(folder ? listing(path) : content ? content() : readFileSync(path))];
}

interface Walk {
  now: number;
  /** Names (of files or folders) to leave out. */
  skip?: (name: string) => boolean;
  /** What the render wrote at a repository-relative path, to hash instead of the file. */
  written?: ReadonlyMap<string, string>;
}

/** Record `path` (a file, a missing path, or a folder with everything under it) into `into`. */
function addPath(into: PathStates, repoRoot: string, path: string, walk: Walk): void {
  const full = absolute(repoRoot, path);
  const content = walk.written?.get(path);
  const entry = entryOf(full, walk.now, content === undefined ? undefined : () => content);
  if (entry === null || entry[0] !== -1) {
    into.files[path] = entry;
    return;
  }
  into.folders[path] = entry;
  for (const child of readdirSync(full, { withFileTypes: true })) {
    if (walk.skip?.(child.name)) continue;
    const childPath = `${path}/${child.name}`;
    if (child.isDirectory()) addPath(into, repoRoot, childPath, walk);
    else {
      const written = walk.written?.get(childPath);
      into.files[childPath] = entryOf(`${full}/${child.name}`, walk.now, written === undefined ? undefined : () => written);
    }
  }
}

/**
 * The state of every input, taken before a render reads them: a change during the render then shows next time.
 * `also`: further repository-relative paths to take in the same way (the render daemon's own code).
 */
export function snapshotInputs(repoRoot: string, now = Date.now(), also: readonly string[] = []): PathStates {
  const states: PathStates = { files: {}, folders: {} };
  for (const path of [...renderInputs(), ...also]) addPath(states, repoRoot, path, { now, skip: isTestFile });
  return states;
}

export interface RenderedOutputs {
  /** Folders the render owns whole (rendered/<env>), repository-relative. */
  folders: readonly string[];
  /** Repository-relative path → the content the render wrote there. */
  files: ReadonlyMap<string, string>;
}

/**
 * Record a successful render: its inputs as `snapshotInputs` found them before it, and its outputs as they are
 * now. A recent output is recorded with the hash of what the render wrote, not of what is on disk; outputs that
 * are not exactly the files written (one added or removed meanwhile) leave no record. What it recorded, or null.
 */
export function recordRender(key: RenderKey, inputs: PathStates, outputs: RenderedOutputs, summary: LastRender['summary'], now = Date.now()): PathStates | null {
  const { repoRoot } = key;
  const states: PathStates = { files: { ...inputs.files }, folders: { ...inputs.folders } };
  // Every file under the folders the render owns, then the generated docs.
  const before = new Set(Object.keys(states.files));
  for (const folder of outputs.folders) addPath(states, repoRoot, folder, { now, written: outputs.files });
  for (const [path, content] of outputs.files) if (!(path in states.files)) states.files[path] = entryOf(absolute(repoRoot, path), now, () => content);
  // Recorded only when the disk holds exactly what was written: a file added or removed since the commit
  // (another process) would otherwise be taken for the render's own output next time.
  const found = Object.keys(states.files).filter((path) => !before.has(path));
  if (found.length !== outputs.files.size || found.some((path) => !outputs.files.has(path) || states.files[path] === null)) {
    forgetRender(repoRoot);
    return null;
  }
  const record: LastRender = { format: FORMAT, key: keyOf(key), summary, ...states };
  const file = recordPath(repoRoot);
  mkdirSync(join(file, '..'), { recursive: true });
  const temporary = `${file}.${process.pid}`;
  writeFileSync(temporary, JSON.stringify(record));
  renameSync(temporary, file);
  return states;
}

/** Forget the record (before a render that may fail or be interrupted half-way). */
export function forgetRender(repoRoot: string): void {
  rmSync(recordPath(repoRoot), { force: true });
}

function unchanged(repoRoot: string, path: string, recorded: Entry): boolean {
  const full = absolute(repoRoot, path);
  const stat = statSync(full, { throwIfNoEntry: false });
  if (!stat || recorded === null) return !stat && recorded === null;
  const [size, mtimeMs, ctimeMs, ino, hash] = recorded;
  const folder = stat.isDirectory();
  if ((folder ? -1 : stat.size) !== size || stat.mtimeMs !== mtimeMs || stat.ctimeMs !== ctimeMs || stat.ino !== ino) return false;
  return hash === undefined || hashOf(folder ? listing(full) : readFileSync(full)) === hash;
}

/** The paths of `states` (folders first) whose file or folder is no longer as recorded there; at most `limit`. */
export function changedPaths(repoRoot: string, states: PathStates, limit = Number.POSITIVE_INFINITY): string[] {
  const changed: string[] = [];
  for (const entries of [states.folders, states.files]) {
    for (const [path, entry] of Object.entries(entries)) {
      if (unchanged(repoRoot, path, entry)) continue;
      changed.push(path);
      if (changed.length >= limit) return changed;
    }
  }
  return changed;
}

/**
 * The files per environment of the last render when nothing it read or wrote has changed since (same date,
 * environments and Node), so that rendering again would write exactly what is there; otherwise null.
 */
export function upToDate(key: RenderKey): LastRender['summary'] | null {
  try {
    const record = JSON.parse(readFileSync(recordPath(key.repoRoot), 'utf8')) as LastRender;
    if (record.format !== FORMAT || record.key !== keyOf(key)) return null;
    return changedPaths(key.repoRoot, record, 1).length === 0 ? record.summary : null;
  } catch {
    return null; // no record, or one this version cannot read: render
  }
}
