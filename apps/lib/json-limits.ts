/**
 * What JSON.parse lets through but the event store cannot hold, or holds differently from what was
 * sent: nesting deeper than a limit, duplicate keys (JSON.parse keeps the last), numbers beyond
 * a double (`1e400` becomes Infinity, stored as null) or below it (`1e-400` becomes 0), an escaped
 * NUL (`\u0000`: PostgreSQL text and jsonb refuse it) and escaped lone UTF-16 surrogates (`\ud800`:
 * jsonb refuses it). Raw NULs and raw surrogates cannot occur: JSON refuses raw control characters
 * and the body is checked to be UTF-8 first.
 *
 * `jsonProblems` scans text that JSON.parse already accepted, so it only tracks structure: one
 * pass, no recursion, at most `maxProblems` problems, each at its JSON pointer.
 */

export type JsonProblemKind = 'depth' | 'duplicate-key' | 'number-range' | 'nul' | 'lone-surrogate';

export interface JsonProblem {
  kind: JsonProblemKind;
  /** JSON pointer of the value (or key) at fault. */
  path: string;
  message: string;
}

interface Frame {
  /** Keys seen so far (objects); null for arrays. */
  keys: Set<string> | null;
  /** The current key (objects) or index (arrays). */
  at: string | number;
}

const pointerPart = (s: string | number) => String(s).replace(/~/g, '~0').replace(/\//g, '~1');

function pointer(stack: Frame[]): string {
  let p = '';
  for (const f of stack) p += `/${pointerPart(f.at)}`;
  return p || '/';
}

const hex = (text: string, at: number) => Number.parseInt(text.slice(at, at + 4), 16);

/** Problems of `text`, which must be JSON that JSON.parse accepts. */
export function jsonProblems(text: string, maxDepth: number, maxProblems = 20): JsonProblem[] {
  const problems: JsonProblem[] = [];
  const stack: Frame[] = [];
  let expectKey = false;
  const n = text.length;
  for (let i = 0; i < n && problems.length < maxProblems; i++) {
    const c = text.charCodeAt(i);
    if (c === 123 /* { */ || c === 91 /* [ */) {
      if (stack.length >= maxDepth) {
        problems.push({ kind: 'depth', path: pointer(stack), message: `nests deeper than ${maxDepth} levels, the limit` });
        return problems; // nothing below is worth scanning
      }
      stack.push({ keys: c === 123 ? new Set() : null, at: c === 123 ? '' : 0 });
      expectKey = c === 123;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (c === 44 /* , */) {
      const top = stack[stack.length - 1];
      if (top.keys) expectKey = true;
      else (top.at as number)++;
    } else if (c === 34 /* " */) {
      const start = i;
      let escaped = false;
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 34) break;
        if (d !== 92 /* \ */) continue;
        escaped = true;
        i++;
        if (text.charCodeAt(i) !== 117 /* u */) continue;
        const unit = hex(text, i + 1);
        i += 4;
        if (unit === 0) problems.push({ kind: 'nul', path: where(stack, expectKey, text, start), message: 'contains a NUL character (\\u0000), which the store cannot hold' });
        else if (unit >= 0xd800 && unit <= 0xdbff) {
          // A high surrogate must be followed by an escaped low one.
          const next = text.charCodeAt(i + 1) === 92 && text.charCodeAt(i + 2) === 117 ? hex(text, i + 3) : -1;
          if (next >= 0xdc00 && next <= 0xdfff) i += 6;
          else problems.push({ kind: 'lone-surrogate', path: where(stack, expectKey, text, start), message: `contains a lone UTF-16 surrogate (\\u${unit.toString(16)}), which is not a character` });
        } else if (unit >= 0xdc00 && unit <= 0xdfff)
          problems.push({ kind: 'lone-surrogate', path: where(stack, expectKey, text, start), message: `contains a lone UTF-16 surrogate (\\u${unit.toString(16)}), which is not a character` });
      }
      if (expectKey) {
        const top = stack[stack.length - 1];
        const key = escaped ? (JSON.parse(text.slice(start, i + 1)) as string) : text.slice(start + 1, i);
        top.at = key;
        const keys = top.keys as Set<string>;
        if (keys.has(key)) problems.push({ kind: 'duplicate-key', path: pointer(stack), message: 'is a duplicate key in its object' });
        else keys.add(key);
        expectKey = false;
      }
    } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      const start = i;
      let exponent = false;
      while (i + 1 < n) {
        const d = text.charCodeAt(i + 1);
        if ((d >= 48 && d <= 57) || d === 46 || d === 45 || d === 43) i++;
        else if (d === 101 || d === 69) {
          exponent = true;
          i++;
        } else break;
      }
      // Only long numbers and exponents can leave the range of a double.
      if (exponent || i - start > 300) {
        const literal = text.slice(start, i + 1);
        const value = Number(literal);
        const mantissa = literal.split(/[eE]/)[0];
        if (!Number.isFinite(value)) problems.push({ kind: 'number-range', path: pointer(stack), message: `${literal.slice(0, 40)} is beyond the range of a double (about ±1.8e308)` });
        else if (value === 0 && /[1-9]/.test(mantissa)) problems.push({ kind: 'number-range', path: pointer(stack), message: `${literal.slice(0, 40)} is closer to zero than a double can hold (about 5e-324)` });
      }
    }
  }
  return problems;
}

/** The pointer of a string: the key itself while a key is expected, else the current value. */
function where(stack: Frame[], isKey: boolean, text: string, start: number): string {
  if (!isKey) return pointer(stack);
  let end = start + 1;
  while (end < text.length && text.charCodeAt(end) !== 34) end += text.charCodeAt(end) === 92 ? 2 : 1;
  const top = stack[stack.length - 1];
  const saved = top.at;
  top.at = text.slice(start + 1, end);
  const p = pointer(stack);
  top.at = saved;
  return p;
}
