// The date that waivers, exceptions and other dated entries of the model are judged against: today, in UTC.

/** `YYYY-MM-DD` of `time` (default: now) in UTC. */
export function utcToday(time: number = Date.now()): string {
  return new Date(time).toISOString().slice(0, 10);
}
