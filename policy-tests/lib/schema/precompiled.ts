// The validators kept in git, policy-tests/validators/ (written by `npm run validators`): each module and the schema
// bundle brotli-compressed (28 MB of generated code -> under 1 MB), and manifest.json: the inputs they were built
// from, the hash of each file's content, and the kind index.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import type { BuiltValidators, ModuleIndex } from './build.ts';
import { describeChanges, inputsHash, REPO_ROOT } from './inputs.ts';

export const VALIDATORS_DIR = join(REPO_ROOT, 'policy-tests', 'validators');
/** The command that regenerates the folder. */
export const REGENERATE = 'npm run validators';
const MANIFEST = 'manifest.json';

export interface Manifest {
  /** inputsHash(inputs): the name of this build. */
  hash: string;
  inputs: Record<string, string>;
  /** File name (as expanded, without `.br`) -> sha256 of its content. */
  files: Record<string, string>;
  index: ModuleIndex;
}

export const moduleFile = (module: string) => `validators-${module}.mjs`;
export const BUNDLE_FILE = 'bundle.json';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The uncompressed content of every file of a build: modules and bundle. */
export function contentsOf(built: BuiltValidators): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const name of Object.keys(built.modules).sort()) out.set(moduleFile(name), Buffer.from(built.modules[name]));
  out.set(BUNDLE_FILE, Buffer.from(JSON.stringify(built.bundle)));
  return out;
}

export function manifestOf(built: BuiltValidators, inputs: Record<string, string>): Manifest {
  const files = Object.fromEntries([...contentsOf(built)].map(([f, b]) => [f, sha256(b)]));
  return { hash: inputsHash(inputs), inputs, files, index: built.index };
}

/** Manifest text: two-space JSON, one kind per line in the index. */
export const manifestText = (m: Manifest) => JSON.stringify(m, null, 2).replace(/\[\n\s+("[^"]*"),\n\s+("[^"]*")\n\s+\]/g, '[$1, $2]') + '\n';

/** Fixed brotli settings, so the same content compresses to the same bytes. */
const compress = (b: Buffer) =>
  brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: b.length } });

/** Write the folder (files no longer built are removed); returns the bytes written per file. */
export function writePrecompiled(built: BuiltValidators, inputs: Record<string, string>, dir = VALIDATORS_DIR): Record<string, number> {
  mkdirSync(dir, { recursive: true });
  const sizes: Record<string, number> = {};
  const keep = new Set([MANIFEST]);
  for (const [file, content] of contentsOf(built)) {
    const data = compress(content);
    writeFileSync(join(dir, `${file}.br`), data);
    sizes[`${file}.br`] = data.length;
    keep.add(`${file}.br`);
  }
  for (const f of readdirSync(dir)) if (f.endsWith('.br') && !keep.has(f)) rmSync(join(dir, f));
  // The manifest last: it vouches for the files.
  const text = manifestText(manifestOf(built, inputs));
  writeFileSync(join(dir, MANIFEST), text);
  sizes[MANIFEST] = text.length;
  return sizes;
}

export function readManifest(dir = VALIDATORS_DIR): Manifest | null {
  const path = join(dir, MANIFEST);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Manifest) : null;
}

/** The uncompressed content of one committed file. */
export const readPrecompiled = (file: string, dir = VALIDATORS_DIR) => brotliDecompressSync(readFileSync(join(dir, `${file}.br`)));

export type Freshness = { fresh: true; manifest: Manifest } | { fresh: false; reason: string };

/** Whether the folder was built from exactly these inputs and holds every file its manifest lists. */
export function checkPrecompiled(inputs: Record<string, string>, dir = VALIDATORS_DIR): Freshness {
  const manifest = readManifest(dir);
  if (!manifest) return { fresh: false, reason: `no precompiled validators (${relative(REPO_ROOT, join(dir, MANIFEST))} missing)` };
  if (manifest.hash !== inputsHash(inputs)) {
    const changes = describeChanges(manifest.inputs, inputs);
    const shown = changes.slice(0, 3).join(', ') + (changes.length > 3 ? ` and ${changes.length - 3} more` : '');
    return { fresh: false, reason: `the precompiled validators are stale (${shown || 'input hash differs'})` };
  }
  const missing = Object.keys(manifest.files).filter((f) => !existsSync(join(dir, `${f}.br`)));
  if (missing.length) return { fresh: false, reason: `the precompiled validators are incomplete (${missing.map((f) => `${f}.br`).join(', ')} missing)` };
  return { fresh: true, manifest };
}

/** Expand a committed file into `into` (once; written aside and renamed, so readers never see half a file). */
export function expandPrecompiled(file: string, into: string, dir = VALIDATORS_DIR): string {
  const target = join(into, file);
  if (!existsSync(target)) {
    const tmp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(tmp, readPrecompiled(file, dir));
    renameSync(tmp, target);
  }
  return target;
}
