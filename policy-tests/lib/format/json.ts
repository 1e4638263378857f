// Machine-readable output: the whole report, findings and waived findings separately.
import { active, errorCount, sortFindings, waived, type Report } from '../findings.ts';

export function formatJson(r: Report): string {
  return (
    JSON.stringify(
      {
        tool: r.tool,
        files: r.files,
        documents: r.documents,
        errors: errorCount(r),
        warnings: active(r).length - errorCount(r),
        findings: sortFindings(active(r)),
        waived: sortFindings(waived(r)),
        notes: r.notes,
      },
      null,
      2,
    ) + '\n'
  );
}
