// What a check reports: one finding per problem, located by file, document, object and JSON path.

export type Severity = 'error' | 'warning';

export interface Finding {
  /** Rule id (`pss-restricted/seccomp`) or a validation code (`schema/unknown-field`). */
  ruleId: string;
  severity: Severity;
  message: string;
  /** How to fix it, when the rule knows. */
  fix?: string;
  file: string;
  /** 0-based index of the document in its file. */
  documentIndex: number;
  /** 1-based line of the offending field (or of the document when the field is absent). */
  line: number;
  /** `Kind/namespace/name` of the object (`Kind/name` for cluster-scoped objects). */
  object: string;
  /** JSON path of the offending field: `spec.template.spec.containers[0].image`. */
  path: string;
  /** Set when a waiver accepts the finding: it is then listed separately and does not fail the run. */
  waiver?: { source: 'annotation' | 'model'; reason: string; where: string };
}

export interface Report {
  /** The command that ran: `validate` or `policy`. */
  tool: 'validate' | 'policy';
  files: number;
  documents: number;
  findings: Finding[];
  /** Rule descriptions for the formats that list rules (SARIF). */
  rules: Array<{ id: string; title: string; rationale: string; fix: string; severity: Severity }>;
  /** Notes printed before the findings (which model or environment was used). */
  notes: string[];
}

export const active = (r: Report) => r.findings.filter((f) => !f.waiver);
export const waived = (r: Report) => r.findings.filter((f) => f.waiver);
export const errorCount = (r: Report) => active(r).filter((f) => f.severity === 'error').length;

/** Stable order: file, document, path, rule. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.documentIndex - b.documentIndex ||
      a.line - b.line ||
      a.path.localeCompare(b.path) ||
      a.ruleId.localeCompare(b.ruleId),
  );
}

/** `a.b[0].c` from `['a', 'b', 0, 'c']`. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
