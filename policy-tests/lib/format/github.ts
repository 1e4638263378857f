// GitHub Actions workflow commands: one annotation per finding (waived findings as notices).
import { errorCount, sortFindings, type Report } from '../findings.ts';

const esc = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const prop = (s: string) => esc(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function formatGithub(r: Report): string {
  const lines = sortFindings(r.findings).map((f) => {
    const level = f.waiver ? 'notice' : f.severity === 'error' ? 'error' : 'warning';
    const msg = `${f.object} ${f.path}: ${f.message}${f.waiver ? ` (waived: ${f.waiver.reason})` : f.fix ? ` Fix: ${f.fix}` : ''}`;
    return `::${level} file=${prop(f.file)},line=${f.line},title=${prop(f.ruleId)}::${esc(msg)}`;
  });
  lines.push(`${r.tool}: ${r.documents} document(s), ${errorCount(r)} error(s), ${r.findings.filter((f) => f.waiver).length} waived`);
  return lines.join('\n') + '\n';
}
