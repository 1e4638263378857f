// Port sets: every port (`all`), or a finite set of `port/PROTOCOL` keys.
export type PortSet = 'all' | Set<string>;

export const portKey = (port: number | string, protocol = 'TCP') => `${port}/${protocol}`;

export function union(a: PortSet, b: PortSet): PortSet {
  if (a === 'all' || b === 'all') return 'all';
  return new Set([...a, ...b]);
}

export function intersect(a: PortSet, b: PortSet): PortSet {
  if (a === 'all') return b === 'all' ? 'all' : new Set(b);
  if (b === 'all') return new Set(a);
  return new Set([...a].filter((p) => b.has(p)));
}

export const isEmpty = (p: PortSet) => p !== 'all' && p.size === 0;

/** Sorted by number then protocol; `*` for every port. */
export function formatPorts(p: PortSet): string[] {
  if (p === 'all') return ['*'];
  return [...p].sort((a, b) => {
    const [pa, qa] = a.split('/');
    const [pb, qb] = b.split('/');
    return Number(pa) - Number(pb) || (qa < qb ? -1 : qa > qb ? 1 : 0);
  });
}
