// The review diff as pull-request comments: summary table first, then the blast radius, then one
// collapsible section per resource; split below GitHub's comment size limit.
import { fieldDiffLines, RISK_LABEL, RISK_ORDER, STATUS_SIGN, toYaml } from './format-values.ts';
import { GITHUB_COMMENT_LIMIT, type MarkdownBlock, splitMarkdown } from './markdown-split.ts';
import { formatBytes, formatCores } from './quantity.ts';
import type { DiffReport, ResourceChange } from './types.ts';

const RISK_ICON = { destructive: '🛑', security: '🔐', prod: '🚨', capacity: '📈' } as const;
const STATUS_WORD = { added: 'added', changed: 'changed', removed: 'removed' } as const;

/** Escape text for a table cell or summary line. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\n/g, ' ');

/** A code fence longer than any backtick run in the content. */
function fence(lines: string[]): string {
  const longest = Math.max(2, ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((r) => r.length))));
  return '`'.repeat(longest + 1);
}

function block(head: string, body: string[], tail: string, section?: string): MarkdownBlock {
  return { head, body, tail, ...(section ? { section } : {}) };
}

function introBlocks(report: DiffReport): MarkdownBlock[] {
  const lines = [`## Rendered diff: \`${report.base}\` → \`${report.head}\``, ''];
  const empty = report.changes.length === 0 && report.blastRadius.flags.length === 0;
  if (empty) lines.push('**No changes**: every environment renders exactly the same.', '');
  lines.push('| Environment | Added | Changed | Removed |', '| --- | ---: | ---: | ---: |');
  for (const s of report.summary) lines.push(`| ${s.env}${s.tier === 'production' ? ' 🚨' : ''} | ${s.added} | ${s.changed} | ${s.removed} |`);
  lines.push('');
  const out = [block(`${lines.join('\n')}\n`, [], '')];
  const radius = report.blastRadius;
  if (!empty) {
    const who = [
      '### Blast radius', '',
      `- **Environments:** ${radius.environments.join(', ') || '—'}`,
      `- **Tenants:** ${radius.tenants.join(', ') || '—'}`,
      `- **Services:** ${radius.services.join(', ') || '—'}`,
      `- **Argo CD Applications:** ${radius.applications.join(', ') || '—'}`,
      ...(radius.restarts.length > 0
        ? ['- **Restarts** (the sync replaces their pods):', ...radius.restarts.map((r) => `  - ${r.env} \`${cell(r.ref)}\`: ${cell(r.reason)}`)]
        : ['- **Restarts:** —']),
      '',
    ];
    out.push(block(`${who.join('\n')}\n`, [], ''));
  }
  if (radius.flags.length > 0) {
    const flags = [...radius.flags].sort((a, b) => RISK_ORDER.indexOf(a.category) - RISK_ORDER.indexOf(b.category));
    out.push(block('| Risk | Environment | Resource | Reason |\n| --- | --- | --- | --- |\n',
      flags.map((f) => `| ${RISK_ICON[f.category]} ${RISK_LABEL[f.category]} | ${f.env} | ${f.ref ? `\`${cell(f.ref)}\`` : '—'} | ${cell(f.reason)} |`), '\n'));
  }
  if (radius.capacity.length > 0) {
    out.push(block('**Requested capacity** (replicas × requests; autoscaled workloads at minReplicas)\n\n| Environment | CPU before | CPU after | Memory before | Memory after |\n| --- | ---: | ---: | ---: | ---: |\n',
      radius.capacity.map((c) => `| ${c.env} | ${formatCores(c.before.cpu)} | ${formatCores(c.after.cpu)} | ${formatBytes(c.before.memory)} | ${formatBytes(c.after.memory)} |`), '\n'));
  }
  if (report.notes.length > 0) out.push(block('', report.notes.map((n) => `> ${cell(n)}\n>`), '\n'));
  return out;
}

function resourceBlock(change: ResourceChange): MarkdownBlock {
  const what = change.status === 'changed' ? `${change.fields.length} field${change.fields.length === 1 ? '' : 's'}` : STATUS_WORD[change.status];
  const moved = change.movedFrom ? ` (moved from \`${cell(change.movedFrom)}\`)` : '';
  const summary = `<details><summary><code>${STATUS_SIGN[change.status]}</code> <b>${cell(change.ref)}</b> · ${cell(change.application)} · ${what}</summary>\n\n` +
    `\`rendered/${cell(change.env)}/${cell(change.file)}\`${moved}\n\n`;
  const body = change.status === 'changed' ? change.fields.flatMap(fieldDiffLines) : toYaml(change.object).trimEnd().split('\n');
  const marks = fence(body);
  const language = change.status === 'changed' ? 'diff' : 'yaml';
  return block(`${summary}${marks}${language}\n`, body, `${marks}\n</details>\n\n`, `### ${change.env}`);
}

/** The markdown comments, each below `limit` characters (GitHub: 65,536). */
export function formatMarkdown(report: DiffReport, limit = GITHUB_COMMENT_LIMIT): string[] {
  return splitMarkdown([...introBlocks(report), ...report.changes.map(resourceBlock)], limit);
}
