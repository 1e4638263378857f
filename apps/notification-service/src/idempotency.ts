/**
 * Delivery state per notification id in Redis, shared by every instance:
 * `notify:<id>` = `claimed:<instance>` (with a lease) while an instance delivers it, then
 * `delivered` or `dead-lettered` for NOTIFY_DEDUP_DAYS. A record seen again (redelivered after a
 * crash or rebalance, or produced twice) whose id is done is skipped; one claimed by a live
 * instance waits; a claim whose owner died expires with its lease and is taken over.
 */
import type { Redis } from 'ioredis';

export type Claim = 'claimed' | 'delivered' | 'dead-lettered' | 'busy';

const key = (id: string) => `notify:${id}`;

// Take the id unless it is done or leased to another instance (atomic: one round trip).
const CLAIM = `
local v = redis.call('GET', KEYS[1])
if v == false or v == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 'claimed'
end
if v == 'delivered' or v == 'dead-lettered' then return v end
return 'busy'`;

// Change the state only while this instance still holds the claim.
const IF_OWNER = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) return 1 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`;

export class DeliveryLedger {
  private readonly redis: Redis;
  private readonly owner: string;
  private readonly leaseMs: number;
  private readonly keepMs: number;

  constructor(redis: Redis, instance: string, leaseMs: number, dedupDays: number) {
    this.redis = redis;
    this.owner = `claimed:${instance}`;
    this.leaseMs = leaseMs;
    this.keepMs = dedupDays * 86_400_000;
  }

  async claim(id: string): Promise<Claim> {
    return (await this.redis.eval(CLAIM, 1, key(id), this.owner, this.leaseMs)) as Claim;
  }

  /** Extend the lease while retrying; false when the claim was lost (it expired and another instance took it). */
  async renew(id: string): Promise<boolean> {
    return (await this.redis.eval(IF_OWNER, 1, key(id), this.owner, this.owner, this.leaseMs)) === 1;
  }

  async finish(id: string, state: 'delivered' | 'dead-lettered'): Promise<void> {
    // Recorded even if the lease ran out meanwhile: the delivery happened.
    await this.redis.set(key(id), state, 'PX', this.keepMs);
  }

  /** Give the id back (shutting down mid-retry): the redelivered record is taken at once, not after the lease. */
  async release(id: string): Promise<void> {
    await this.redis.eval(IF_OWNER, 1, key(id), this.owner, '', 0);
  }
}
