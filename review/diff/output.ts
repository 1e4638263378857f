// What the diff and promote commands share: the output formats and the usage-error report.
import { formatMarkdown } from './format-markdown.ts';
import { formatText } from './format-text.ts';
import type { DiffReport } from './types.ts';

export const FORMATS = ['text', 'markdown', 'json'] as const;
export type Format = (typeof FORMATS)[number];

export const isFormat = (value: string | undefined): value is Format => FORMATS.includes(value as Format);

/** The report in one format; markdown parts are separated by a rule (CI writes them to separate files instead). */
export function formatReport(report: DiffReport, format: Format, json: unknown = report): string {
  if (format === 'json') return `${JSON.stringify(json, null, 2)}\n`;
  if (format === 'markdown') return formatMarkdown(report).join('\n\n---\n\n');
  return formatText(report);
}

/** Print usage problems (all of them) with the usage text; returns exit code 2, or 0 when there are none. */
export function reportUsageProblems(command: string, problems: string[], usage: string): number {
  if (problems.length === 0) return 0;
  console.error(`${command}: ${problems.join(`\n${command}: `)}\n\n${usage}`);
  return 2;
}
