/**
 * Who plays like this player: the `SimilarityIndex` the recommender asks for neighbours. Two
 * implementations: `RedisSimilarity` (here: candidates from the features' inverted index, cosine
 * similarity of their game-count vectors computed in process; deterministic, ties by player id) and
 * `QdrantSimilarity` (qdrant.ts, the same vectors in Qdrant).
 */
import type { FeatureStore, Features } from './features.ts';

export interface Neighbour {
  playerId: string;
  similarity: number;
  features: Features;
}

export interface SimilarityIndex {
  readonly name: string;
  /** Store the current features of these players (Redis: already in the inverted index). */
  upsert(players: Map<string, Features>): Promise<void>;
  neighbours(playerId: string, features: Features, k: number): Promise<Neighbour[]>;
  /** Forget the player (GDPR); resolves with the number of entries removed. */
  erase(playerId: string): Promise<number>;
  ready(): Promise<boolean>;
}

export function cosine(a: Features, b: Features): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [k, v] of Object.entries(a)) {
    na += v * v;
    const w = b[k];
    if (w !== undefined) dot += v * w;
  }
  for (const v of Object.values(b)) nb += v * v;
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Games a player plays most, then by id. */
export function topGames(features: Features, n: number): string[] {
  return Object.entries(features)
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
    .slice(0, n)
    .map(([g]) => g);
}

export class RedisSimilarity implements SimilarityIndex {
  readonly name = 'redis';
  private readonly features: FeatureStore;

  constructor(features: FeatureStore) {
    this.features = features;
  }

  async upsert(): Promise<void> {}

  async neighbours(playerId: string, features: Features, k: number): Promise<Neighbour[]> {
    const candidates = new Set<string>();
    for (const game of topGames(features, 5)) for (const p of await this.features.topPlayers(game, 50)) if (p !== playerId) candidates.add(p);
    const ids = [...candidates];
    const vectors = await this.features.getMany(ids);
    return ids
      .map((id, i) => ({ playerId: id, similarity: cosine(features, vectors[i]), features: vectors[i] }))
      .filter((n) => n.similarity > 0)
      .sort((x, y) => y.similarity - x.similarity || (x.playerId < y.playerId ? -1 : 1))
      .slice(0, k);
  }

  async erase(): Promise<number> {
    return 0; // the inverted index is erased with the features (FeatureStore.erase)
  }

  async ready(): Promise<boolean> {
    return true;
  }
}
