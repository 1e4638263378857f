// Value checks that types cannot express, one per `@format` tag in model/spec.ts: the schema validator
// runs them on every value of that type, and a failing value is reported with the message and hint here.
import { parseCpu, parseDuration, parseMemory } from '../quantities.ts';

export interface ValueCheck {
  type: 'string' | 'number';
  /** What is wrong with the value, or undefined when it is fine. */
  problem: (value: never) => string | undefined;
  hint: string;
}

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const shown = (value: unknown) => JSON.stringify(value);

const integer = (min: number, what: string) => (value: number) => (Number.isInteger(value) && value >= min ? undefined : `${shown(value)} is not ${what}`);

/** Field ranges of a five-field cron schedule, with the names a field may use instead of numbers. */
const cronFields = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'], first: 1 },
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'], first: 0 },
] as const;
const cronMacros = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

/** The first problem of a cron schedule, or undefined when every field is in range. */
export function cronProblem(schedule: string): string | undefined {
  const trimmed = schedule.trim();
  if (cronMacros.has(trimmed)) return undefined;
  const fields = trimmed.split(/\s+/);
  if (fields.length !== 5) return `${shown(schedule)} has ${trimmed === '' ? 0 : fields.length} field${fields.length === 1 ? '' : 's'}, not five`;
  for (const [i, field] of fields.entries()) {
    const spec = cronFields[i];
    const value = (text: string): number | undefined => {
      if (/^\d+$/.test(text)) return Number(text);
      const index = 'names' in spec ? (spec.names as readonly string[]).indexOf(text.toUpperCase()) : -1;
      return index >= 0 && 'first' in spec ? index + spec.first : undefined;
    };
    for (const item of field.split(',')) {
      const match = /^(\*|[^-/]+(?:-[^-/]+)?)(?:\/(\d+))?$/.exec(item);
      if (!match) return `${shown(schedule)}: ${spec.name} field "${field}" is not a cron field`;
      if (match[2] !== undefined && Number(match[2]) < 1) return `${shown(schedule)}: the step in ${spec.name} field "${field}" must be at least 1`;
      if (match[1] === '*') continue;
      const bounds = match[1].split('-').map(value);
      for (const [j, bound] of bounds.entries()) {
        if (bound === undefined) return `${shown(schedule)}: ${spec.name} "${match[1].split('-')[j]}" is not a number`;
        if (bound < spec.min || bound > spec.max) return `${shown(schedule)}: ${spec.name} ${bound} is outside ${spec.min}–${spec.max}`;
      }
      if (bounds.length === 2 && bounds[0]! > bounds[1]!) return `${shown(schedule)}: ${spec.name} range ${match[1]} runs backwards`;
    }
  }
  return undefined;
}

export const valueChecks: Record<string, ValueCheck> = {
  cpu: { type: 'string', problem: (v: string) => (parseCpu(v) === undefined ? `${shown(v)} is not a CPU quantity` : undefined), hint: 'e.g. "500m" or "2"' },
  memory: { type: 'string', problem: (v: string) => (parseMemory(v) === undefined ? `${shown(v)} is not a memory quantity` : undefined), hint: 'e.g. "512Mi" or "2Gi"' },
  duration: { type: 'string', problem: (v: string) => (parseDuration(v) === undefined ? `${shown(v)} is not a duration` : undefined), hint: 'a whole number and a unit (s, m, h, d, w), e.g. "7d"' },
  date: {
    type: 'string',
    problem: (v: string) => {
      const date = new Date(`${v}T00:00:00Z`);
      return /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(date.getTime()) && date.toISOString().startsWith(v) ? undefined : `${shown(v)} is not a date`;
    },
    hint: 'use YYYY-MM-DD',
  },
  digest: { type: 'string', problem: (v: string) => (/^sha256:[0-9a-f]{64}$/.test(v) ? undefined : `${shown(v)} is not a sha256 digest`), hint: 'expected sha256: followed by 64 lowercase hex digits' },
  'kubernetes-version': { type: 'string', problem: (v: string) => (/^1\.\d+$/.test(v) ? undefined : `${shown(v)} is not a Kubernetes minor version`), hint: 'write it like "1.34"' },
  cron: { type: 'string', problem: cronProblem, hint: "five fields: minute (0–59) hour (0–23) day-of-month (1–31) month (1–12) day-of-week (0–7), e.g. '0 3 * * *'" },
  'dns-label': { type: 'string', problem: (v: string) => (dnsLabel.test(v) && v.length <= 63 ? undefined : `${shown(v)} is not a DNS label`), hint: 'use lowercase letters, digits and "-", at most 63 characters' },
  'port-name': {
    type: 'string',
    problem: (v: string) => (dnsLabel.test(v) && v.length <= 15 && /[a-z]/.test(v) ? undefined : `port name ${shown(v)} is not a DNS label of at most 15 characters`),
    hint: 'e.g. "http", "grpc", "metrics"',
  },
  'env-var': { type: 'string', problem: (v: string) => (/^[A-Z_][A-Z0-9_]*$/.test(v) ? undefined : `${shown(v)} is not an environment variable name`), hint: 'use UPPER_SNAKE_CASE' },
  percentage: { type: 'number', problem: (v: number) => (v > 0 && v <= 100 ? undefined : `${shown(v)} is not a percentage in (0, 100]`), hint: 'a share of 100, e.g. 70' },
  'positive-integer': { type: 'number', problem: integer(1, 'a positive integer'), hint: 'a whole number of at least 1' },
  'non-negative-integer': { type: 'number', problem: integer(0, 'a non-negative integer'), hint: 'a whole number of at least 0' },
  integer: { type: 'number', problem: integer(-Infinity, 'an integer'), hint: 'a whole number' },
  port: { type: 'number', problem: (v: number) => (Number.isInteger(v) && v >= 1 && v <= 65535 ? undefined : `port ${shown(v)} is outside 1–65535`), hint: 'a port number from 1 to 65535' },
  'metric-name': { type: 'string', problem: (v: string) => (/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(v) ? undefined : `${shown(v)} is not a Prometheus metric name`), hint: 'letters, digits, "_" and ":", not starting with a digit, e.g. "kube_pod_"' },
  'iam-role-arn': {
    type: 'string',
    problem: (v: string) => (/^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@\/-]{1,512}$/.test(v) && !v.endsWith('/') ? undefined : `${shown(v)} is not an IAM role ARN`),
    hint: 'e.g. "arn:aws:iam::123456789012:role/gamemetrics-prod-external-secrets"',
  },
};

/** The checks as ajv formats (the same object is given to ajv and imported by its standalone code). */
export const ajvFormats = Object.fromEntries(
  Object.entries(valueChecks).map(([name, check]) => [name, { type: check.type, validate: (value: never) => check.problem(value) === undefined }]),
) as Record<string, { type: 'string'; validate: (value: string) => boolean } | { type: 'number'; validate: (value: number) => boolean }>;
