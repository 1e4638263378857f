/**
 * Per-player features in Redis: how many recent events the player had in each game. Keys (all of a
 * player's own keys carry the player id, so erasure and its proof are exact):
 * - `rec:features:<player>`  hash gameId → events (expires FEATURE_TTL_DAYS after the last event);
 * - `rec:players:<game>`     sorted set player → events (the inverted index neighbours come from);
 * - `rec:popular`            sorted set gameId → events of all players (the cold start);
 * - `rec:cache:<player>`     the player's computed recommendations (JSON, RECOMMENDATION_CACHE_TTL_SECONDS).
 */
import type { Redis } from 'ioredis';

export type Features = Record<string, number>;

export const keys = {
  features: (player: string) => `rec:features:${player}`,
  players: (game: string) => `rec:players:${game}`,
  popular: 'rec:popular',
  cache: (player: string) => `rec:cache:${player}`,
};

export interface EventCount {
  playerId: string;
  gameId: string;
}

export class FeatureStore {
  private readonly redis: Redis;
  private readonly ttlSeconds: number;

  constructor(redis: Redis, featureTtlDays: number) {
    this.redis = redis;
    this.ttlSeconds = featureTtlDays * 86400;
  }

  /** Count the events in, and drop the touched players' cached recommendations; returns the players. */
  async add(events: EventCount[]): Promise<Set<string>> {
    const tx = this.redis.multi();
    const touched = new Set<string>();
    for (const e of events) {
      tx.hincrby(keys.features(e.playerId), e.gameId, 1);
      tx.zincrby(keys.players(e.gameId), 1, e.playerId);
      tx.zincrby(keys.popular, 1, e.gameId);
      touched.add(e.playerId);
    }
    for (const p of touched) {
      tx.expire(keys.features(p), this.ttlSeconds);
      tx.del(keys.cache(p));
    }
    await tx.exec();
    return touched;
  }

  async get(playerId: string): Promise<Features> {
    return toFeatures(await this.redis.hgetall(keys.features(playerId)));
  }

  async getMany(playerIds: string[]): Promise<Features[]> {
    if (playerIds.length === 0) return [];
    const pipe = this.redis.pipeline();
    for (const p of playerIds) pipe.hgetall(keys.features(p));
    const results = (await pipe.exec()) ?? [];
    return results.map(([, v]) => toFeatures((v ?? {}) as Record<string, string>));
  }

  /** The players with the most events in `game` (neighbour candidates). */
  async topPlayers(game: string, n: number): Promise<string[]> {
    return this.redis.zrevrange(keys.players(game), 0, n - 1);
  }

  async popular(n: number): Promise<Array<{ gameId: string; events: number }>> {
    const flat = await this.redis.zrevrange(keys.popular, 0, n - 1, 'WITHSCORES');
    const out: Array<{ gameId: string; events: number }> = [];
    for (let i = 0; i < flat.length; i += 2) out.push({ gameId: flat[i], events: Number(flat[i + 1]) });
    return out;
  }

  /**
   * Erase a player: features, cache, the player's entries in the inverted index, and its share of the
   * popularity counts. Returns what was removed.
   */
  async erase(playerId: string): Promise<{ games: number; keys: number }> {
    const features = await this.get(playerId);
    const tx = this.redis.multi();
    for (const [game, n] of Object.entries(features)) {
      tx.zrem(keys.players(game), playerId);
      tx.zincrby(keys.popular, -n, game);
    }
    tx.del(keys.features(playerId), keys.cache(playerId));
    const results = (await tx.exec()) ?? [];
    const removedKeys = Number(results.at(-1)?.[1] ?? 0);
    // Games nobody plays any more leave the popularity list.
    await this.redis.zremrangebyscore(keys.popular, '-inf', 0);
    return { games: Object.keys(features).length, keys: removedKeys };
  }
}

function toFeatures(raw: Record<string, string>): Features {
  const out: Features = {};
  for (const [k, v] of Object.entries(raw)) out[k] = Number(v);
  return out;
}
