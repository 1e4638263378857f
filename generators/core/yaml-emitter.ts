// A deterministic YAML emitter for plain data (objects, arrays, strings, numbers, booleans, null).
// Strings are plain only when YAML 1.1 and 1.2 both read them back as the same string; otherwise
// they are double-quoted (JSON escapes are valid YAML) or, when multi-line, a literal block.

type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };

const safePlain = /^[A-Za-z0-9_./][A-Za-z0-9_./@:+ ,()'=-]*$/;
const looksNumeric = /^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)(?:[eE][-+]?[0-9]+)?$|^0[xXoObB]|^[-+]?\.(?:inf|nan)$|^[0-9]+(?::[0-9]+)+(?:\.[0-9_]*)?$/i;
const looksDate = /^\d{4}-\d\d?-\d\d?/;
const reserved = new Set(['true', 'false', 'yes', 'no', 'on', 'off', 'y', 'n', 'null', '~']);

function isPlainSafe(value: string): boolean {
  return (
    value.length > 0 &&
    safePlain.test(value) &&
    !value.endsWith(':') &&
    !value.endsWith(' ') &&
    !value.includes(': ') &&
    !value.includes(' #') &&
    !looksNumeric.test(value) &&
    !looksDate.test(value) &&
    !reserved.has(value.toLowerCase())
  );
}

// Keys, labels and names repeat across thousands of objects: quote each distinct string once, and
// keep it ready as the piece the document needs (`key:` or ` value`). Fewer, longer pieces make the
// final join cheaper.
const CACHE_LIMIT = 100_000;
const keyPieces = new Map<string, string>();
const valuePieces = new Map<string, string>();

function scalar(value: string): string {
  return isPlainSafe(value) ? value : JSON.stringify(value);
}

function keyPiece(key: string): string {
  let piece = keyPieces.get(key);
  if (piece === undefined) {
    piece = `${scalar(key)}:`;
    if (keyPieces.size < CACHE_LIMIT) keyPieces.set(key, piece);
  }
  return piece;
}

function valuePiece(value: string): string {
  let piece = valuePieces.get(value);
  if (piece === undefined) {
    piece = ` ${scalar(value)}`;
    if (valuePieces.size < CACHE_LIMIT) valuePieces.set(value, piece);
  }
  return piece;
}

/** Multi-line strings as `|`/`|-` blocks when the block reads back byte for byte. */
function blockLiteral(value: string, indent: string): string | undefined {
  if (!value.includes('\n') || /[\t\r\u0000-\u0008\u000b-\u001f\u007f\u0085\u2028\u2029\ufeff]/.test(value)) return undefined;
  const body = value.endsWith('\n') ? value.slice(0, -1) : value;
  if (body.endsWith('\n') || body.startsWith(' ') || body.startsWith('\n')) return undefined;
  const lines = body.split('\n');
  if (lines.some((line) => line.endsWith(' '))) return undefined;
  const header = value.endsWith('\n') ? '|' : '|-';
  return header + lines.map((line) => (line === '' ? '\n' : `\n${indent}${line}`)).join('');
}

// Indentation by depth, and a line break followed by it, built once.
const indents: string[] = [''];
const breaks: string[] = ['\n'];
function indentAt(depth: number): string {
  return (indents[depth] ??= indentAt(depth - 1) + '  ');
}
function breakAt(depth: number): string {
  return (breaks[depth] ??= `\n${indentAt(depth)}`);
}

/** How a mapping's first entry starts: at the document's start, on a new line, or after a sequence dash. */
const TOP = 0;
const NESTED = 1;
const AFTER_DASH = 2;

function emitMapping(map: { [key: string]: Plain }, depth: number, out: string[], mode: number): void {
  let first = true;
  for (const key in map) {
    const value = map[key];
    if (value === undefined) continue;
    if (!first || mode === NESTED) out.push(breakAt(depth), keyPiece(key));
    else out.push(mode === AFTER_DASH ? ` ${keyPiece(key)}` : keyPiece(key));
    first = false;
    emitValue(value, depth + 1, out);
  }
  if (first && mode !== TOP) out.push(' {}');
}

function emitValue(value: Plain, depth: number, out: string[]): void {
  // Called for the value after "key:" or "- ", writes its own leading separator.
  if (typeof value === 'string') {
    const block = value.includes('\n') ? blockLiteral(value, indentAt(depth)) : undefined;
    out.push(block === undefined ? valuePiece(value) : ` ${block}`);
  }
  else if (value === null) out.push(' null');
  else if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`cannot emit non-finite number ${value}`);
    out.push(` ${value}`);
  } else if (typeof value === 'boolean') out.push(value ? ' true' : ' false');
  else if (Array.isArray(value)) {
    if (value.length === 0) out.push(' []');
    else {
      const dash = `${breakAt(depth)}-`;
      for (const item of value) {
        out.push(dash);
        emitSequenceItem(item, depth + 1, out);
      }
    }
  } else if (typeof value === 'object') emitMapping(value, depth, out, NESTED);
  else throw new TypeError(`cannot emit ${typeof value}`);
}

function emitSequenceItem(item: Plain, depth: number, out: string[]): void {
  if (item !== null && typeof item === 'object') {
    // A mapping's first entry goes on the dash line, the rest aligned under it.
    if (!Array.isArray(item)) return emitMapping(item, depth, out, AFTER_DASH);
    // Nested sequences are rare in Kubernetes objects; use flow style, which is unambiguous.
    if (item.length > 0) return void out.push(` ${JSON.stringify(item)}`);
  }
  emitValue(item, depth, out);
}

/** One YAML document for a mapping at the top level, ending with a newline, after `prefix` (e.g. a comment line). */
export function emitYaml(document: Record<string, unknown>, prefix = ''): string {
  const out = pieces;
  out.length = 0;
  out.push(prefix);
  emitMapping(document as { [key: string]: Plain }, 0, out, TOP);
  out.push('\n');
  const text = out.join('');
  out.length = 0;
  return text;
}

// Reused by every document: growing a new array to hundreds of pieces per file is a large share of the garbage.
const pieces: string[] = [];
