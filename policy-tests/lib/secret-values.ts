// Finds secret values in rendered objects: a Secret carrying data, PEM blocks, known token and key
// formats, credentials in URLs, values of password-like keys, and long high-entropy strings. Image
// digests and template expressions are allowed; values are never echoed back in full.
import type { Doc } from './documents.ts';

export interface SecretValueFinding {
  doc: Doc;
  /** JSON path of the field. */
  path: string;
  what: string;
}

const PATTERNS: Array<[RegExp, string]> = [
  [/-----BEGIN [A-Z0-9 ]+-----/, 'a PEM block'],
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/\bgh[pousr]_[A-Za-z0-9]{36,}\b/, 'a GitHub token'],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\./, 'a JWT'],
  [/\bsk_(live|test)_[A-Za-z0-9]{16,}/, 'a Stripe key'],
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]+@/, 'a password in a URL'],
];

/** Allowed before measuring entropy: image digests, template expressions. */
const ALLOWED = [/sha256:[0-9a-f]{64}/g, /\{\{[^}]*\}\}/g];
/** Fields whose value names a key of a Secret rather than holding one (Strimzi's `passwordSecret.password`). */
const KEY_SELECTORS = [/\.passwordSecret\.password$/,
  // Helm charts' `existingSecret` (Bitnami's `existing<What>Secret` too): the name of a Secret the chart reads, not its value.
  /(^|\.)existing[A-Za-z]*Secret$/];
/** Keys whose value is a credential (not a reference to one: *_FILE, *_REF, names of Secrets). */
const CREDENTIAL_KEY = /(password|passwd|secret|token|api[_-]?key|private[_-]?key)$/i;

/** Shannon entropy in bits per character. */
export function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
  return bits;
}

/** A token that looks random: long, no spaces or path structure, mixed character classes, high entropy. */
function looksRandom(token: string): boolean {
  // Host names, paths and addresses have dots, slashes or colons; random tokens (hex, base64) do not.
  if (token.length < 24 || !/^[A-Za-z0-9+_=-]+$/.test(token)) return false;
  // Names spelled from words, where a digit stands only in a short part (`prod-eu-central-1-observability`).
  if (/^[a-z]+(?:-(?:[a-z]+|[a-z0-9]{1,2}))+$/.test(token)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((r) => r.test(token)).length;
  return classes >= 2 && /[0-9]/.test(token) && entropy(token) >= 4.0;
}

function scanString(value: string): string | null {
  for (const [pattern, what] of PATTERNS) if (pattern.test(value)) return what;
  let rest = value;
  for (const allowed of ALLOWED) rest = rest.replace(allowed, ' ');
  const random = rest.split(/[\s"'`,;=()[\]{}<>|]+/).find(looksRandom);
  return random ? `a high-entropy string (${random.slice(0, 4)}…, ${random.length} characters)` : null;
}

export function secretValues(docs: readonly Doc[]): SecretValueFinding[] {
  const out: SecretValueFinding[] = [];
  for (const doc of docs) {
    const data = doc.data as Record<string, any>;
    if (data.kind === 'Secret' && String(data.apiVersion) === 'v1') {
      for (const field of ['data', 'stringData']) {
        if (data[field] && Object.keys(data[field]).length > 0) out.push({ doc, path: field, what: `a Secret with ${field}` });
      }
    }
    const walk = (value: unknown, path: string, key: string) => {
      if (typeof value === 'string') {
        if (value.length > 0 && CREDENTIAL_KEY.test(key) && !/\{\{/.test(value) && !KEY_SELECTORS.some((r) => r.test(path))) out.push({ doc, path, what: `a value under the credential key "${key}"` });
        else {
          const what = scanString(value);
          if (what) out.push({ doc, path, what });
        }
      } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`, key));
      else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k, k);
    };
    walk(data, '', '');
  }
  return out;
}
