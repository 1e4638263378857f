// Parsing of the quantity and duration strings the model uses.

const durationUnits: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const memoryUnits: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };

/** Milliseconds of `7d`, `12h`, ...; undefined when malformed. */
export function parseDuration(value: string): number | undefined {
  const match = /^(\d+)([smhdw])$/.exec(value);
  return match ? Number(match[1]) * durationUnits[match[2]] : undefined;
}

/** Millicores of `500m` or `2`; undefined when malformed. */
export function parseCpu(value: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(m?)$/.exec(value);
  if (!match) return undefined;
  return match[2] === 'm' ? Number(match[1]) : Math.round(Number(match[1]) * 1000);
}

/** Bytes of `512Mi`, `2Gi`; undefined when malformed. */
export function parseMemory(value: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti)$/.exec(value);
  return match ? Number(match[1]) * memoryUnits[match[2]] : undefined;
}

export function formatCpu(millicores: number): string {
  return millicores % 1000 === 0 ? String(millicores / 1000) : `${millicores}m`;
}

export function formatMemory(bytes: number): string {
  for (const unit of ['Ti', 'Gi', 'Mi', 'Ki']) {
    if (bytes % memoryUnits[unit] === 0) return `${bytes / memoryUnits[unit]}${unit}`;
  }
  return String(bytes);
}
