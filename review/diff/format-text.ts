// The review diff for a terminal.
import { formatBytes, formatCores } from './quantity.ts';
import { fieldLine, RISK_LABEL, RISK_ORDER, STATUS_SIGN } from './format-values.ts';
import type { DiffReport } from './types.ts';

const MAX_VALUE = 160;

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => `  ${r.map((cell, i) => cell.padEnd(widths[i])).join('  ')}`.trimEnd());
}

export function formatText(report: DiffReport): string {
  const out: string[] = [`Rendered diff: ${report.base} → ${report.head}`, ''];
  if (report.changes.length === 0 && report.blastRadius.flags.length === 0) {
    out.push('No changes: every environment renders the same.');
  }
  out.push(...table([['environment', 'added', 'changed', 'removed'], ...report.summary.map((s) => [s.env, String(s.added), String(s.changed), String(s.removed)])]), '');
  const radius = report.blastRadius;
  if (radius.environments.length > 0) {
    out.push('Blast radius');
    out.push(`  environments: ${radius.environments.join(', ')}`);
    out.push(`  tenants:      ${radius.tenants.join(', ') || '(none)'}`);
    out.push(`  services:     ${radius.services.join(', ') || '(none)'}`);
    out.push(`  applications: ${radius.applications.join(', ') || '(none)'}`);
    if (radius.restarts.length > 0) {
      out.push('  restarts (the sync replaces their pods):');
      for (const r of radius.restarts) out.push(`    ${r.env} ${r.ref}: ${r.reason}`);
    } else out.push('  restarts:     (none)');
    const flags = [...radius.flags].sort((a, b) => RISK_ORDER.indexOf(a.category) - RISK_ORDER.indexOf(b.category));
    if (flags.length > 0) {
      out.push('  risks:');
      for (const flag of flags) out.push(`    [${RISK_LABEL[flag.category]}] ${flag.env}${flag.ref ? ` ${flag.ref}` : ''}: ${flag.reason}`);
    }
    if (radius.capacity.length > 0) {
      out.push('  capacity (requested; autoscaled workloads at minReplicas):');
      out.push(...table([
        ['environment', 'cpu before', 'cpu after', 'memory before', 'memory after'],
        ...radius.capacity.map((c) => [c.env, formatCores(c.before.cpu), formatCores(c.after.cpu), formatBytes(c.before.memory), formatBytes(c.after.memory)]),
      ]).map((line) => `  ${line}`));
    }
    out.push('');
  }
  for (const note of report.notes) out.push(`Note: ${note}`);
  if (report.notes.length > 0) out.push('');
  let env = '';
  let application = '';
  for (const change of report.changes) {
    if (change.env !== env) {
      env = change.env;
      application = '';
      out.push(`== ${env} ==`);
    }
    if (change.application !== application) {
      application = change.application;
      out.push(`  Application ${application}`);
    }
    const moved = change.movedFrom ? `, moved from ${change.movedFrom}` : '';
    out.push(`    ${STATUS_SIGN[change.status]} ${change.ref}  (${change.file}${moved})`);
    for (const field of change.fields) out.push(`        ${fieldLine(field, MAX_VALUE)}`);
  }
  return `${out.join('\n').trimEnd()}\n`;
}
