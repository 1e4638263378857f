// What every part of the loader shares: the spec and environment being loaded, and the problems found so far.
import type { PathSegment, Problem } from '../problems.ts';
import type { EnvironmentSpec, PlatformSpec } from '../spec.ts';
import type { SchemaLock } from '../schema-evolution.ts';

export interface LoadContext {
  readonly platform: PlatformSpec;
  readonly env: EnvironmentSpec;
  /** Today (UTC, `YYYY-MM-DD`), for waiver expiry. */
  readonly today: string;
  /** `['environments', <name>]`: where the environment's own values live in model paths. */
  readonly envPath: PathSegment[];
  readonly problems: Problem[];
  /** The last accepted topic schemas (model/topic-schemas.lock.json); without it schema evolution is not checked. */
  readonly schemaLock?: SchemaLock;
}

export function report(context: LoadContext, path: PathSegment[], message: string, hint?: string): void {
  context.problems.push(hint ? { path, message, hint } : { path, message });
}

export function noDuplicates(context: LoadContext, path: PathSegment[], values: string[]): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) report(context, path, `"${value}" is listed twice`, 'remove the duplicate');
    seen.add(value);
  }
}

export function sortByName<T extends { name: string }>(items: T[]): T[] {
  return items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The RFC 1123 label Kubernetes names most objects with. */
export const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
