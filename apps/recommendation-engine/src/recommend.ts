/**
 * Recommendations: games popular among the players most similar to this one (by their recent
 * events per game) that this player does not play yet, scored by Σ similarity × the neighbour's
 * share of events in the game; topped up from the most popular games when there are too few.
 * Deterministic: ties by game id.
 */
import type { FeatureStore, Features } from './features.ts';
import type { SimilarityIndex } from './similarity.ts';

export interface Recommendation {
  gameId: string;
  score: number;
  reason: 'similar-players' | 'popular';
}

export interface Recommendations {
  playerId: string;
  generatedAt: string;
  backend: string;
  neighbours: number;
  recommendations: Recommendation[];
}

export async function recommend(playerId: string, store: FeatureStore, index: SimilarityIndex, limit: number, neighbourCount: number): Promise<Recommendations> {
  const features: Features = await store.get(playerId);
  const neighbours = Object.keys(features).length > 0 ? await index.neighbours(playerId, features, neighbourCount) : [];
  const scores = new Map<string, number>();
  for (const n of neighbours) {
    const total = Object.values(n.features).reduce((a, b) => a + b, 0);
    if (total === 0) continue;
    for (const [game, events] of Object.entries(n.features)) {
      if (features[game] !== undefined) continue;
      scores.set(game, (scores.get(game) ?? 0) + (n.similarity * events) / total);
    }
  }
  const recommendations: Recommendation[] = [...scores]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([gameId, score]) => ({ gameId, score: Math.round(score * 1e6) / 1e6, reason: 'similar-players' }));
  if (recommendations.length < limit) {
    const have = new Set(recommendations.map((r) => r.gameId));
    for (const p of await store.popular(limit + Object.keys(features).length + recommendations.length)) {
      if (recommendations.length >= limit) break;
      if (have.has(p.gameId) || features[p.gameId] !== undefined) continue;
      recommendations.push({ gameId: p.gameId, score: 0, reason: 'popular' });
    }
  }
  return { playerId, generatedAt: new Date().toISOString(), backend: index.name, neighbours: neighbours.length, recommendations };
}
