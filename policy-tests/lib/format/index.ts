// Picks the output format.
import type { Doc } from '../documents.ts';
import type { Report } from '../findings.ts';
import { formatGithub } from './github.ts';
import { formatJson } from './json.ts';
import { formatJunit } from './junit.ts';
import { formatSarif } from './sarif.ts';
import { formatText } from './text.ts';

export const FORMATS = ['text', 'json', 'junit', 'sarif', 'github'] as const;
export type Format = (typeof FORMATS)[number];

export function render(format: Format, report: Report, docs: Array<Pick<Doc, 'file' | 'index' | 'ref'>>, color: boolean): string {
  switch (format) {
    case 'json':
      return formatJson(report);
    case 'github':
      return formatGithub(report);
    case 'sarif':
      return formatSarif(report);
    case 'junit': {
      const byFile = new Map<string, Array<{ index: number; ref: string }>>();
      for (const d of docs) {
        if (!byFile.has(d.file)) byFile.set(d.file, []);
        byFile.get(d.file)!.push({ index: d.index, ref: d.ref });
      }
      return formatJunit(report, byFile);
    }
    default:
      return formatText(report, color);
  }
}
