/**
 * promtool (Debian's `prometheus` package) for the alerting checks: `promtool check rules` on rule files and
 * `promtool test rules` on unit-test files, each run to completion with its output kept.
 *
 * ```ts
 * const dir = await writeRuleFiles({ 'catalog.yaml': groups });       // rule groups as promtool reads them
 * const check = await checkRules([join(dir, 'catalog.yaml')]);        // { ok, output }
 * const test = await testRules([join(dir, 'units.yaml')]);            // unit files whose rule_files name catalog.yaml
 * const units = await testRulesAgainst(['units/kafka.yaml'], { 'kafka.rules.yaml': [group] });   // both steps at once
 * ```
 * A missing promtool is an error naming the package (scripts/harness/setup.sh installs it), in CI and locally.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { stringify } from 'yaml';
import { requireCommand } from './process.ts';

export interface PromtoolResult {
  ok: boolean;
  /** stdout and stderr together, as promtool printed them. */
  output: string;
}

const INSTALL_HINT = 'Install it with: apt-get install -y prometheus (or run scripts/harness/setup.sh).';

/** The promtool binary, or an error saying how to install it. */
export function promtool(): string {
  return requireCommand('promtool', INSTALL_HINT);
}

function run(args: string[], cwd?: string): Promise<PromtoolResult> {
  const binary = promtool();
  return new Promise((resolve) => {
    execFile(binary, args, { cwd, maxBuffer: 64 * 1024 * 1024, timeout: 300_000 }, (error, stdout, stderr) => {
      resolve({ ok: error === null, output: `${stdout}${stderr}` });
    });
  });
}

/** `promtool check rules <files>`: syntax, PromQL and templates of every rule. */
export function checkRules(files: string[]): Promise<PromtoolResult> {
  return run(['check', 'rules', ...files]);
}

/** `promtool test rules <files>`: the unit tests; each file's `rule_files` are relative to the file. */
export function testRules(files: string[], cwd?: string): Promise<PromtoolResult> {
  return run(['test', 'rules', ...files], cwd);
}

/** A fresh temp dir holding one promtool rule file (`groups: [...]`) per entry; returns the dir (remove it with removeRuleFiles). */
export async function writeRuleFiles(files: Record<string, unknown[]>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gm-promtool-'));
  for (const [name, groups] of Object.entries(files)) await writeFile(join(dir, name), stringify({ groups }, { lineWidth: 0 }));
  return dir;
}

/** Removes a dir made by writeRuleFiles. */
export function removeRuleFiles(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

/** `promtool test rules` on copies of `unitFiles`, placed next to the rule files written from `ruleFiles` (name → groups). */
export async function testRulesAgainst(unitFiles: readonly string[], ruleFiles: Record<string, unknown[]>): Promise<PromtoolResult> {
  const dir = await writeRuleFiles(ruleFiles);
  try {
    const copies: string[] = [];
    for (const file of unitFiles) {
      const copy = join(dir, basename(file));
      await copyFile(file, copy);
      copies.push(copy);
    }
    return await testRules(copies, dir);
  } finally {
    await removeRuleFiles(dir);
  }
}
