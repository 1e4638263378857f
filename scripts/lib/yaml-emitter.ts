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

// Keys, labels and names repeat across thousands of objects: quote each distinct string once.
const scalarCache = new Map<string, string>();

function scalar(value: string): string {
  let emitted = scalarCache.get(value);
  if (emitted === undefined) {
    emitted = isPlainSafe(value) ? value : JSON.stringify(value);
    if (scalarCache.size < 100_000) scalarCache.set(value, emitted);
  }
  return emitted;
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

function emitValue(value: Plain, indent: string, out: string[]): void {
  // Called for the value after "key:" or "- ", writes its own leading separator.
  if (value === null) out.push(' null');
  else if (typeof value === 'string') out.push(' ', blockLiteral(value, indent) ?? scalar(value));
  else if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`cannot emit non-finite number ${value}`);
    out.push(' ', String(value));
  } else if (typeof value === 'boolean') out.push(value ? ' true' : ' false');
  else if (Array.isArray(value)) {
    if (value.length === 0) out.push(' []');
    else {
      for (const item of value) {
        out.push('\n', indent, '-');
        emitSequenceItem(item, indent + '  ', out);
      }
    }
  } else if (typeof value === 'object') {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined);
    if (keys.length === 0) out.push(' {}');
    else for (const key of keys) emitEntry(key, value[key], indent, out, true);
  } else throw new TypeError(`cannot emit ${typeof value}`);
}

function emitEntry(key: string, value: Plain, indent: string, out: string[], newline: boolean): void {
  if (newline) out.push('\n', indent);
  out.push(scalar(key), ':');
  emitValue(value, indent + '  ', out);
}

function emitSequenceItem(item: Plain, indent: string, out: string[]): void {
  if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
    const keys = Object.keys(item).filter((k) => item[k] !== undefined);
    if (keys.length === 0) {
      out.push(' {}');
      return;
    }
    // First entry on the dash line, the rest aligned under it.
    out.push(' ');
    keys.forEach((key, i) => emitEntry(key, item[key], indent, out, i > 0));
    return;
  }
  if (Array.isArray(item) && item.length > 0) {
    // Nested sequences are rare in Kubernetes objects; use flow style, which is unambiguous.
    out.push(' ', JSON.stringify(item));
    return;
  }
  emitValue(item, indent, out);
}

/** One YAML document for a mapping at the top level, ending with a newline. */
export function emitYaml(document: Record<string, unknown>): string {
  const out: string[] = [];
  const keys = Object.keys(document).filter((k) => document[k] !== undefined);
  keys.forEach((key, i) => emitEntry(key, document[key] as Plain, '', out, i > 0));
  out.push('\n');
  return out.join('');
}
