/**
 * Retry delays: exponential (base · 2^(attempt-1), capped at max) with "equal jitter": a uniform
 * draw in [d/2, d]. Half the delay is guaranteed, so retries never bunch up at zero; the random
 * half spreads the instances that failed together (a webhook outage) so they do not retry in step.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const d = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return Math.round(d / 2 + random() * (d / 2));
}

/** The [lowest, highest] delay after `attempt` failed attempts. */
export function backoffWindow(attempt: number, baseMs: number, maxMs: number): [number, number] {
  return [backoffDelay(attempt, baseMs, maxMs, () => 0), backoffDelay(attempt, baseMs, maxMs, () => 1)];
}
