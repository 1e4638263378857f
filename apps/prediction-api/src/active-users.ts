/**
 * Active users per UTC day, shared by every replica: each authenticated account is added to the day's
 * HyperLogLog in Redis (`PFADD`; ~0.8 % standard error, 12 KB per day whatever the count), at most once per
 * replica and day, and `prediction_active_users{window="day"}` reads the count (`PFCOUNT`) at each scrape.
 * Counting never delays or fails a request: Redis errors are dropped, and a scrape keeps the last count.
 */
import type { Redis } from 'ioredis';
import { utcDay } from './rate-limiter.ts';

/** Days a day's set is kept after it was last written (a scrape near midnight still reads yesterday's). */
const KEEP_DAYS = 3;
/** A scrape waits this long for Redis at most. */
const COUNT_TIMEOUT_MS = 500;

export const activeUsersKey = (day: string) => `geo:active-users:${day}`;

export class ActiveUsers {
  private readonly redis: Redis;
  private readonly clock: () => number;
  private day = '';
  private readonly seenToday = new Set<string>();

  constructor(redis: Redis, clock: () => number) {
    this.redis = redis;
    this.clock = clock;
  }

  /** Count `userId` as active today (fire and forget). */
  seen(userId: string): void {
    const day = utcDay(this.clock());
    if (day !== this.day) {
      this.day = day;
      this.seenToday.clear();
    }
    if (this.seenToday.has(userId)) return;
    this.seenToday.add(userId);
    const key = activeUsersKey(day);
    // exec() rejects when the transaction fails as a whole, and resolves [error, result] pairs otherwise:
    // either way, a user not counted is tried again at its next request.
    const retry = () => this.seenToday.delete(userId);
    this.redis.multi().pfadd(key, userId).expire(key, KEEP_DAYS * 86_400).exec().then((results) => {
      if (!results || results.some(([error]) => error)) retry();
    }, retry);
  }

  /** Today's count, or null when Redis does not answer in time. */
  async count(): Promise<number | null> {
    const timeout = new Promise<null>((resolve) => setTimeout(resolve, COUNT_TIMEOUT_MS, null).unref());
    return Promise.race([this.redis.pfcount(activeUsersKey(utcDay(this.clock()))).catch(() => null), timeout]);
  }
}
