/**
 * PostgreSQL's COPY text format (the default of `COPY … FROM STDIN`): one line per row, columns
 * separated by tabs, `\N` for NULL, and backslash, newline, carriage return and tab inside a value
 * written as `\\`, `\n`, `\r`, `\t`. Escaping every backslash also means no line can read `\.`
 * (the old end-of-data marker).
 */

const SPECIAL = /[\\\n\r\t]/;
const SPECIAL_ALL = /[\\\n\r\t]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One value; `null` is SQL NULL. */
export function copyValue(value: string | number | null): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  // Most values (ids, timestamps, plain JSON) need no escaping: test before replacing.
  return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (c) => ESCAPES[c]) : value;
}

/** One row, with its line end. */
export function copyRow(values: Array<string | number | null>): string {
  let line = copyValue(values[0]);
  for (let i = 1; i < values.length; i++) line += `\t${copyValue(values[i])}`;
  return `${line}\n`;
}
