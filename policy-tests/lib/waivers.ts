// Waivers: accepted exceptions to a rule, by annotation on the object or by an entry in the model.
import type { Doc } from './documents.ts';
import type { Finding } from './findings.ts';
import type { DocEnv } from './rule.ts';
import type { LoadedWaiver } from '../../model/loaded.ts';

/** Annotation prefix: `waivers.gamemetrics.dev/<ruleset>.<rule>: "<reason>"` (annotation names cannot hold a `/`). */
export const WAIVER_ANNOTATION_PREFIX = 'waivers.gamemetrics.dev/';

export const annotationKeyFor = (ruleId: string) => WAIVER_ANNOTATION_PREFIX + ruleId.replace('/', '.');
const ruleIdOf = (annotationName: string) => annotationName.replace('.', '/');

/** A model waiver, as the loader gives it. */
export type ModelWaiver = LoadedWaiver;

const SERVICE_LABELS = ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'gamemetrics.dev/service'];

/** Does a model waiver's target name this document? A service name, or `<kind>/<namespace>/<name>` (`<kind>/<name>` for cluster objects). */
export function targets(w: ModelWaiver, doc: Doc): boolean {
  if (w.target.includes('/')) return w.target === doc.ref;
  const labels = doc.data.metadata?.labels ?? {};
  return doc.data.metadata?.name === w.target || SERVICE_LABELS.some((l) => labels[l] === w.target);
}

export interface WaiverOptions {
  waivers: ModelWaiver[];
  knownRules: Set<string>;
  envOf(doc: Doc): DocEnv;
  /** `YYYY-MM-DD` (UTC): waivers expiring before it are expired. */
  today: string;
}

/** Marks waived findings and adds findings about the waivers themselves (expired, no reason, unknown rule). */
export function applyWaivers(findings: Finding[], docs: Doc[], opts: WaiverOptions): Finding[] {
  const byDoc = new Map(docs.map((d) => [`${d.file}#${d.index}`, d]));
  const extra: Finding[] = [];
  // Problems with the waivers themselves.
  const expired = new Set<ModelWaiver>();
  for (const w of opts.waivers) {
    if (w.expires < opts.today) {
      expired.add(w);
      extra.push(waiverFinding(w, 'policy/waiver-expired', `waiver of ${w.rule} for ${w.target} expired on ${w.expires} (approved by ${w.approvedBy}): fix the findings it covered, or renew it with a new reason and date`));
    }
    if (!opts.knownRules.has(w.rule)) extra.push(waiverFinding(w, 'policy/waiver-unknown-rule', `waiver names rule ${w.rule}, which is not in the catalog (see docs/POLICIES.md)`));
  }
  for (const d of docs) {
    for (const [key, value] of Object.entries(d.data.metadata?.annotations ?? {})) {
      if (!key.startsWith(WAIVER_ANNOTATION_PREFIX)) continue;
      const ruleId = ruleIdOf(key.slice(WAIVER_ANNOTATION_PREFIX.length));
      const at = { file: d.file, documentIndex: d.index, line: d.lineOf(['metadata', 'annotations', key]), object: d.ref, path: `metadata.annotations[${JSON.stringify(key)}]` };
      if (!opts.knownRules.has(ruleId)) extra.push({ ...at, ruleId: 'policy/waiver-unknown-rule', severity: 'error', message: `waiver annotation names rule ${ruleId}, which is not in the catalog` });
      if (typeof value !== 'string' || !value.trim()) extra.push({ ...at, ruleId: 'policy/waiver-reason', severity: 'error', message: `waiver annotation for ${ruleId} has no reason: the value must say why the exception is acceptable` });
    }
  }
  const waived = findings.map((f) => {
    const doc = byDoc.get(`${f.file}#${f.documentIndex}`);
    if (!doc) return f;
    const reason = doc.data.metadata?.annotations?.[annotationKeyFor(f.ruleId)];
    if (typeof reason === 'string' && reason.trim()) return { ...f, waiver: { source: 'annotation' as const, reason: reason.trim(), where: `${f.object} annotation ${annotationKeyFor(f.ruleId)}` } };
    const env = opts.envOf(doc).name;
    const w = opts.waivers.find(
      (w) => w.rule === f.ruleId && !expired.has(w) && (w.environments === null || (env !== null && w.environments.includes(env))) && targets(w, doc),
    );
    if (w) return { ...f, waiver: { source: 'model' as const, reason: w.reason, where: `${w.modelPath} (approved by ${w.approvedBy}, expires ${w.expires})` } };
    return f;
  });
  return [...waived, ...extra];
}

function waiverFinding(w: ModelWaiver, ruleId: string, message: string): Finding {
  return { ruleId, severity: 'error', message, file: w.modelPath, documentIndex: 0, line: 1, object: `waiver ${w.rule} ${w.target}`, path: 'policies.waivers' };
}
