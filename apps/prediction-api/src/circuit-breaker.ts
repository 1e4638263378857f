/**
 * A circuit breaker around a dependency (Redis, the model store): after `failures` consecutive failures
 * it opens and calls fail at once with CircuitOpenError; after `openMs` one trial call goes through
 * (half-open): success closes it, failure opens it again. Its state is a gauge,
 * `circuit_breaker_state{dependency}` (0 closed, 1 half-open, 2 open).
 */
import type { Gauge } from 'prom-client';

export type BreakerState = 'closed' | 'half-open' | 'open';
const STATE_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

export class CircuitOpenError extends Error {
  constructor(dependency: string) {
    super(`${dependency}: circuit open after repeated failures`);
    this.name = 'CircuitOpenError';
  }
}

export interface BreakerOptions {
  dependency: string;
  failures: number;
  openMs: number;
  clock: () => number;
  gauge: Gauge<'dependency'>;
  onChange?: (state: BreakerState) => void;
}

export class CircuitBreaker {
  private state: BreakerState = 'closed';
  private consecutive = 0;
  private openedAt = 0;
  private trial = false;
  private readonly opts: BreakerOptions;

  constructor(opts: BreakerOptions) {
    this.opts = opts;
    opts.gauge.set({ dependency: opts.dependency }, 0);
  }

  get current(): BreakerState {
    return this.state;
  }

  async call<T>(fn: () => Promise<T>): Promise<T> {
    if (this.state === 'open') {
      if (this.opts.clock() - this.openedAt < this.opts.openMs || this.trial) throw new CircuitOpenError(this.opts.dependency);
      this.set('half-open');
    }
    if (this.state === 'half-open') {
      if (this.trial) throw new CircuitOpenError(this.opts.dependency);
      this.trial = true;
    }
    try {
      const result = await fn();
      this.consecutive = 0;
      this.trial = false;
      if (this.state !== 'closed') this.set('closed');
      return result;
    } catch (e) {
      this.trial = false;
      this.consecutive += 1;
      if (this.state === 'half-open' || this.consecutive >= this.opts.failures) {
        this.openedAt = this.opts.clock();
        this.set('open');
      }
      throw e;
    }
  }

  private set(state: BreakerState): void {
    this.state = state;
    this.opts.gauge.set({ dependency: this.opts.dependency }, STATE_VALUE[state]);
    this.opts.onChange?.(state);
  }
}
