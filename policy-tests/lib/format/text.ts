// Human output: findings grouped by file, one line each; how to fix each rule once at the end; coloured on a terminal.
import { active, errorCount, sortFindings, waived, type Finding, type Report } from '../findings.ts';

export function formatText(r: Report, color: boolean): string {
  const c = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines: string[] = r.notes.map((n) => c('2', `note: ${n}`));
  const line = (f: Finding) => {
    const sev = f.waiver ? c('36', 'waived ') : f.severity === 'error' ? c('31', 'error  ') : c('33', 'warning');
    const why = f.waiver ? c('2', ` [waived by ${f.waiver.where}: ${f.waiver.reason}]`) : '';
    return `  ${f.file}:${f.line} [doc ${f.documentIndex}] ${f.object} ${f.path || '(document)'} ${sev} ${c('1', f.ruleId)} ${f.message}${why}`;
  };
  const group = (fs: Finding[]) => {
    let file = '';
    for (const f of sortFindings(fs)) {
      if (f.file !== file) lines.push(c('4', f.file));
      file = f.file;
      lines.push(line(f));
    }
  };
  const open = active(r);
  group(open);
  const fixes = new Map(open.filter((f) => f.fix).map((f) => [f.ruleId, f.fix!]));
  if (fixes.size) {
    lines.push('', c('1', 'How to fix:'));
    for (const [id, fix] of [...fixes].sort()) lines.push(`  ${c('1', id)}: ${fix}`);
  }
  const w = waived(r);
  if (w.length) {
    lines.push('', c('36', `Waived findings (${w.length}):`));
    group(w);
  }
  const errors = errorCount(r);
  const warnings = open.length - errors;
  const summary = `${r.tool}: ${r.documents} document(s) in ${r.files} file(s): ${errors} error(s), ${warnings} warning(s), ${w.length} waived`;
  lines.push('', errors ? c('31', summary) : c('32', summary));
  return lines.join('\n') + '\n';
}
