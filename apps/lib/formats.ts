/**
 * ajv-formats' full formats, with cheaper checks in front of `date-time` and `uuid` for the forms
 * nearly every event uses (`2026-11-22T05:00:00.123Z`, a plain 36-character UUID). The fast check
 * only ever says "valid" for strings the full check accepts; anything else (offsets, leap seconds,
 * `urn:uuid:`, invalid values) goes to ajv-formats' own check, so what is valid does not change.
 * Why: on the event path the full checks (regex splits and captures) cost more than the rest of
 * the schema together.
 */
import type { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

type FormatDefinition = { validate: (s: string) => boolean; compare?: (a: string, b: string) => number | undefined };
const fullDateTime = fullFormats['date-time'] as FormatDefinition;
const fullUuid = fullFormats.uuid as RegExp;

const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number of the ASCII digits at s[from], s[from + 1]; -1 if either is not a digit. */
function twoDigits(s: string, from: number): number {
  const a = s.charCodeAt(from) - 48;
  const b = s.charCodeAt(from + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** `YYYY-MM-DDTHH:MM:SS[.frac]Z` with every field in range (no leap second). */
export function isCanonicalUtcDateTime(s: string): boolean {
  const n = s.length;
  if (n < 20 || s.charCodeAt(n - 1) !== 90 /* Z */) return false;
  if (s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':' || s[16] !== ':') return false;
  const y1 = twoDigits(s, 0);
  const y2 = twoDigits(s, 2);
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  const second = twoDigits(s, 17);
  if (y1 < 0 || y2 < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  const year = y1 * 100 + y2;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : DAYS[month])) return false;
  if (n === 20) return true;
  // A fraction: '.' and at least one digit before the Z.
  if (s[19] !== '.' || n < 22) return false;
  for (let i = 20; i < n - 1; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in hex digits of either case. */
export function isPlainUuid(s: string): boolean {
  if (s.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45 /* - */) return false;
    } else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}

export const dateTimeFormat: FormatDefinition = {
  validate: (s) => isCanonicalUtcDateTime(s) || fullDateTime.validate(s),
  compare: fullDateTime.compare,
};

export const uuidFormat = (s: string): boolean => isPlainUuid(s) || fullUuid.test(s);

/** ajv-formats' full formats, `date-time` and `uuid` with the fast checks in front. */
export function addEventFormats(ajv: Ajv): Ajv {
  addFormats(ajv);
  ajv.addFormat('date-time', dateTimeFormat);
  ajv.addFormat('uuid', uuidFormat);
  return ajv;
}
