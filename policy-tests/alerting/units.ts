// The static promtool unit tests of the alert catalog (policy-tests/alerting/units/*.yaml): each file's
// rule_files name the rule groups it tests, `<group>.rules.yaml`; unitRuleFiles gives every rendered group of
// the prod environment under that name, and scripts/harness/promtool.ts (testRulesAgainst) runs
// `promtool test rules` on copies of the files placed next to them. (One group per rule file keeps promtool
// from evaluating the whole catalog at every step of every test.)
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';

export const UNITS_DIR = join(import.meta.dirname, 'units');
/** The environment whose rendered rules the unit tests assert on (thresholds such as the broker count are prod's). */
export const UNITS_ENV = 'prod';
/** The rule file a unit test file names for a rule group. */
export function groupRuleFile(group: string): string {
  return `${group}.rules.yaml`;
}

export interface UnitCase {
  file: string;
  test: string;
  alertname: string;
  evalTime: string;
  /** How many alerts the case expects to fire (0: a silent case). */
  expected: number;
}

interface UnitFile {
  rule_files?: string[];
  tests?: Array<{ name?: string; alert_rule_test?: Array<{ alertname: string; eval_time: string; exp_alerts?: unknown[] }> }>;
}

/** The unit test files, sorted. */
export function unitFiles(dir = UNITS_DIR): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(dir, f));
}

/** Every alert_rule_test case of the files. */
export function unitCases(files = unitFiles()): UnitCase[] {
  return files.flatMap((file) => {
    const doc = parse(readFileSync(file, 'utf8')) as UnitFile;
    return (doc.tests ?? []).flatMap((t) => (t.alert_rule_test ?? []).map((c) => ({ file: basename(file), test: t.name ?? '', alertname: c.alertname, evalTime: c.eval_time, expected: c.exp_alerts?.length ?? 0 })));
  });
}

/** Alert names with at least one firing and one silent case, and those missing either. */
export function unitCoverage(cases: readonly UnitCase[]): { covered: Set<string>; noFiring: string[]; noSilent: string[] } {
  const names = [...new Set(cases.map((c) => c.alertname))].sort();
  const noFiring = names.filter((n) => !cases.some((c) => c.alertname === n && c.expected > 0));
  const noSilent = names.filter((n) => !cases.some((c) => c.alertname === n && c.expected === 0));
  return { covered: new Set(names.filter((n) => !noFiring.includes(n) && !noSilent.includes(n))), noFiring, noSilent };
}

/** The rule files the unit tests name: each group as `<group>.rules.yaml`. */
export function unitRuleFiles(groups: ReadonlyArray<{ name: string }>): Record<string, unknown[]> {
  return Object.fromEntries(groups.map((g) => [groupRuleFile(g.name), [g]]));
}
