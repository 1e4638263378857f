// Kubernetes resource quantities (`500m`, `2`, `1.5Gi`, `128M`, `1e3`) as numbers, and back for display.

const SUFFIXES: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** The quantity's value in base units (cores, bytes); undefined when malformed. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const match = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/.exec(value.trim());
  if (!match) return undefined;
  const number = Number(match[1] + (match[2] ?? ''));
  return number * SUFFIXES[match[3] ?? ''];
}

/** Millicores, shown as cores: `2.5`, `750m`. */
export function formatCores(millicores: number): string {
  const rounded = Math.round(millicores);
  return rounded % 1000 === 0 || Math.abs(rounded) >= 10_000 ? `${+(rounded / 1000).toFixed(2)}` : `${rounded}m`;
}

/** Bytes, shown in the largest binary unit that keeps two decimals: `1.5Gi`, `640Mi`. */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of [['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]] as const) {
    if (Math.abs(bytes) >= size) return `${+(bytes / size).toFixed(2)}${unit}`;
  }
  return `${bytes}`;
}
