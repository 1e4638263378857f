// Runs the rule catalog over a set of documents (all at once, so cross-resource rules see everything).
import type { Doc } from './documents.ts';
import type { Finding } from './findings.ts';
import { formatPath } from './findings.ts';
import type { DocEnv, Rule, RuleSet } from './rule.ts';
import { applyWaivers, type ModelWaiver } from './waivers.ts';

export interface PolicyOptions {
  /** Rule sets to run; all when empty. `pss-restricted` includes `pss-baseline`, as the standard does. */
  rulesets: RuleSet[];
  envOf(doc: Doc): DocEnv;
  waivers: ModelWaiver[];
  /** Ignore every waiver (annotations and model). */
  noWaivers: boolean;
  /** `YYYY-MM-DD` (UTC). */
  today: string;
}

export function selectRules(rules: Rule[], rulesets: RuleSet[]): Rule[] {
  if (!rulesets.length) return rules;
  const wanted = new Set<RuleSet>(rulesets);
  if (wanted.has('pss-restricted')) wanted.add('pss-baseline');
  return rules.filter((r) => wanted.has(r.ruleset));
}

/** Documents per environment and region: each is its own cluster, so cross-resource rules look within one. */
function byEnvironment(docs: Doc[], envOf: (d: Doc) => DocEnv): Doc[][] {
  const groups = new Map<string, Doc[]>();
  for (const d of docs) {
    const env = envOf(d);
    const k = `${env.name ?? ''}\0${env.region ?? ''}`;
    const g = groups.get(k);
    if (g) g.push(d);
    else groups.set(k, [d]);
  }
  return [...groups.values()];
}

export function runRules(docs: Doc[], rules: Rule[], envOf: (d: Doc) => DocEnv): Finding[] {
  const out: Finding[] = [];
  for (const group of byEnvironment(docs, envOf)) out.push(...runRulesOnce(group, rules, envOf));
  return out;
}

function runRulesOnce(docs: Doc[], rules: Rule[], envOf: (d: Doc) => DocEnv): Finding[] {
  const ctx = { docs, envOf };
  const out: Finding[] = [];
  for (const rule of rules) {
    let violations;
    try {
      violations = rule.check(ctx);
    } catch (e) {
      out.push({ ruleId: 'policy/rule-failed', severity: 'error', message: `rule ${rule.id} failed: ${(e as Error).stack ?? e}`, file: '-', documentIndex: 0, line: 1, object: '-', path: '' });
      continue;
    }
    for (const v of violations) {
      out.push({
        ruleId: rule.id,
        severity: rule.severity,
        message: v.message,
        fix: rule.fix,
        file: v.doc.file,
        documentIndex: v.doc.index,
        line: v.doc.lineOf(v.path),
        object: v.doc.ref,
        path: formatPath(v.path),
      });
    }
  }
  return out;
}

export function runPolicy(docs: Doc[], catalog: Rule[], opts: PolicyOptions): Finding[] {
  const rules = selectRules(catalog, opts.rulesets);
  const findings = runRules(docs, rules, opts.envOf);
  if (opts.noWaivers) return findings;
  return applyWaivers(findings, docs, { waivers: opts.waivers, knownRules: new Set(catalog.map((r) => r.id)), envOf: opts.envOf, today: opts.today });
}
