// Reads YAML files and folders into documents that keep their source positions.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadAll } from 'js-yaml';
import { LineCounter, parseAllDocuments, isMap, isSeq, type Document, type Node } from 'yaml';
import { formatPath } from './findings.ts';

/** A Kubernetes object from a YAML file. */
export interface Doc {
  /** Path as given or found (relative to the working directory when possible). */
  file: string;
  /** 0-based index among the file's non-empty documents. */
  index: number;
  /** The parsed object. */
  data: KubeDoc;
  /** `Kind/namespace/name`. */
  ref: string;
  /** 1-based line of a JSON path inside this document (nearest existing ancestor). */
  lineOf(path: ReadonlyArray<string | number>): number;
}

export interface KubeDoc {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: string; generateName?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

/** Input that cannot be read or parsed: the run stops with exit code 2. */
export class InputError extends Error {
  problems: string[];
  constructor(problems: string[]) {
    super(problems.join('\n'));
    this.problems = problems;
  }
}

/** Every `.yaml`/`.yml` file under the given files and folders, sorted. */
export function collectFiles(paths: string[]): string[] {
  const out: string[] = [];
  const problems: string[] = [];
  const walk = (p: string, explicit: boolean) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      problems.push(`${p}: no such file or folder`);
      return;
    }
    if (st.isDirectory()) {
      for (const entry of readdirSync(p).sort()) if (!entry.startsWith('.')) walk(join(p, entry), false);
    } else if (explicit || /\.ya?ml$/.test(p)) out.push(p);
  };
  for (const p of paths) walk(p, true);
  if (problems.length) throw new InputError(problems);
  return [...new Set(out)].sort();
}

export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

/**
 * Parse one file's text; syntax errors are collected into `problems` with file and line.
 * Data comes from js-yaml (fast); the position-keeping `yaml` AST is built only when a line is asked for
 * (a finding), once per file.
 */
export function parseDocs(file: string, text: string, problems: string[]): Doc[] {
  let raw: unknown[];
  try {
    raw = loadAll(text, { filename: file });
  } catch (e) {
    const err = e as { mark?: { line?: number }; reason?: string; message: string };
    problems.push(`${file}:${(err.mark?.line ?? 0) + 1}: YAML error: ${err.reason ?? err.message.split('\n')[0]}`);
    return [];
  }
  let ast: { docs: Document[]; lc: LineCounter } | null = null;
  const astDoc = (index: number) => {
    if (!ast) {
      const lc = new LineCounter();
      const all = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false });
      ast = { docs: (Array.isArray(all) ? all : []).filter((d) => d.contents !== null), lc };
    }
    return { doc: ast.docs[index], lc: ast.lc };
  };
  const lineOf = (index: number, path: ReadonlyArray<string | number>) => {
    const { doc, lc } = astDoc(index);
    if (!doc) return 1;
    return lineOfPath(doc, lc, path, lc.linePos(doc.contents?.range?.[0] ?? 0).line);
  };
  const out: Doc[] = [];
  let index = 0;
  for (const data of raw) {
    if (data === null || data === undefined) continue; // `---` with nothing after it
    const i = index++;
    if (typeof data !== 'object' || Array.isArray(data)) {
      problems.push(`${file}:${lineOf(i, [])}: document ${i} is not a mapping (a Kubernetes object is a YAML mapping with apiVersion and kind)`);
      continue;
    }
    const kube = data as KubeDoc;
    out.push({ file, index: i, data: kube, ref: objectRef(kube), lineOf: (path) => lineOf(i, path) });
  }
  return out;
}

/** Read and parse all files; all problems are reported together. */
export function loadDocuments(paths: string[]): { files: string[]; docs: Doc[] } {
  const files = collectFiles(paths);
  const problems: string[] = [];
  const docs: Doc[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      problems.push(`${displayPath(file)}: cannot read: ${(e as Error).message}`);
      continue;
    }
    docs.push(...parseDocs(displayPath(file), text, problems));
  }
  if (problems.length) throw new InputError(problems);
  return { files, docs };
}

export function objectRef(d: KubeDoc): string {
  const kind = typeof d.kind === 'string' ? d.kind : '<no kind>';
  const name = d.metadata?.name ?? (d.metadata?.generateName ? `${d.metadata.generateName}*` : '<no name>');
  return d.metadata?.namespace ? `${kind}/${d.metadata.namespace}/${name}` : `${kind}/${name}`;
}

function lineOfPath(doc: Document, lc: LineCounter, path: ReadonlyArray<string | number>, fallback: number): number {
  let node: Node | null = doc.contents as Node;
  let line = fallback;
  for (const seg of path) {
    let next: unknown = null;
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === seg);
      if (pair) {
        const keyNode = pair.key as Node;
        if (keyNode.range) line = lc.linePos(keyNode.range[0]).line;
        next = pair.value;
      }
    } else if (isSeq(node) && typeof seg === 'number') {
      next = node.items[seg] ?? null;
      const n = next as Node | null;
      if (n?.range) line = lc.linePos(n.range[0]).line;
    }
    if (!next) break;
    node = next as Node;
  }
  return line;
}

export { formatPath };
