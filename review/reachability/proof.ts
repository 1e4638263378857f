// The proof: a computed matrix equals the declared one, connection for connection and port for port.
// Every difference is named: an extra connection (or port) the rendered objects allow and the model does not
// declare, or a missing one the model declares and the rendered objects refuse.
import { type Grant, grantKey } from './access.ts';
import type { Edge } from './network.ts';
import { formatPorts } from './ports.ts';

const edgeKeys = (edges: readonly Edge[]) => new Set(edges.flatMap((e) => formatPorts(e.ports).map((p) => `${e.from} → ${e.to} ${p}`)));

function difference(matrix: string, actual: Set<string>, expected: Set<string>): string[] {
  const extra = [...actual].filter((k) => !expected.has(k)).sort().map((k) => `${matrix}: extra ${k} (allowed by the rendered objects, not declared)`);
  const missing = [...expected].filter((k) => !actual.has(k)).sort().map((k) => `${matrix}: missing ${k} (declared, refused by the rendered objects)`);
  return [...extra, ...missing];
}

export function edgeDifferences(matrix: string, actual: readonly Edge[], expected: readonly Edge[]): string[] {
  return difference(matrix, edgeKeys(actual), edgeKeys(expected));
}

export function grantDifferences(actual: readonly Grant[], expected: readonly Grant[]): string[] {
  return difference('access', new Set(actual.map(grantKey)), new Set(expected.map(grantKey)));
}
