// What the diff and promote commands share: the output formats.
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

