// Shared wording of the formatters: values inline, field changes as lines, risk labels.
import { stringify } from 'yaml';
import type { FieldChange, RiskCategory } from './types.ts';

/** A value on one line: strings bare (quoted when they would read ambiguously), the rest as JSON. */
export function inline(value: unknown, max = Infinity): string {
  let text: string;
  if (typeof value === 'string') text = value === '' || /^\s|\s$|^[\d.+-]+$|^(true|false|null)$/.test(value) || value.includes('\n') ? JSON.stringify(value) : value;
  else text = JSON.stringify(value) ?? 'undefined';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `~ path: old → new`, `+ path: value`, `- path: value`. */
export function fieldLine(change: FieldChange, max = Infinity): string {
  if (change.op === 'changed') return `~ ${change.path}: ${inline(change.old, max)} → ${inline(change.new, max)}`;
  if (change.op === 'added') return `+ ${change.path}: ${inline(change.new, max)}`;
  return `- ${change.path}: ${inline(change.old, max)}`;
}

/** Lines of a unified-diff style block: changed fields become a `-` and a `+` line. */
export function fieldDiffLines(change: FieldChange): string[] {
  if (change.op === 'changed') return [`- ${change.path}: ${inline(change.old)}`, `+ ${change.path}: ${inline(change.new)}`];
  return [fieldLine(change)];
}

export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0 });
}

export const RISK_ORDER: RiskCategory[] = ['prod', 'destructive', 'security', 'capacity'];
export const RISK_LABEL: Record<RiskCategory, string> = {
  destructive: 'destructive',
  security: 'security',
  prod: 'production',
  capacity: 'capacity',
};
export const STATUS_SIGN = { added: '+', changed: '~', removed: '-' } as const;
