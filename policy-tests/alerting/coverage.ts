// Unit-test coverage of every rendered alert: the static catalog units (units/*.yaml, a firing and a silent
// case each) and the SLO alerts that obs-slo's generated suite covers (slo-units.ts, when present).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { unitCases, unitCoverage } from './units.ts';

/** The SLO suite's module (contract 3, docs/alerts.md): `sloUnitTests(env)` resolves to `{ alertnames, run() }`. */
export const SLO_UNITS_MODULE = join(import.meta.dirname, 'slo-units.ts');

interface SloUnitsModule {
  sloUnitTests(env: string): Promise<{ alertnames: string[] }>;
}

/** Alert names the generated SLO unit suite covers in `env`; empty while slo-units.ts does not exist. */
export async function sloCoveredAlerts(env: string, module = SLO_UNITS_MODULE): Promise<Set<string>> {
  if (!existsSync(module)) return new Set();
  const slo = (await import(module)) as SloUnitsModule;
  return new Set((await slo.sloUnitTests(env)).alertnames);
}

/** Alert names covered by the static units (firing and silent case) or the SLO suite. */
export async function coveredAlerts(env: string): Promise<Set<string>> {
  return new Set([...unitCoverage(unitCases()).covered, ...(await sloCoveredAlerts(env))]);
}

/** One message per rendered alert without a unit test. */
export function uncoveredAlerts(rendered: ReadonlyArray<{ alert: string; file: string }>, covered: ReadonlySet<string>): string[] {
  const seen = new Map<string, string>();
  for (const rule of rendered) if (!covered.has(rule.alert) && !seen.has(rule.alert)) seen.set(rule.alert, rule.file);
  return [...seen].sort().map(([alert, file]) => `${alert} (${file}) has no unit test: add a case where it fires and one where it stays silent to policy-tests/alerting/units/*.yaml`);
}
