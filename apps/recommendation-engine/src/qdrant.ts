/**
 * Similarity through Qdrant's official JavaScript client: each player is a point whose vector is
 * the player's game counts hashed into VECTOR_SIZE dimensions (L2-normalised, cosine distance) and
 * whose payload holds the player id and the counts. Neighbours are the nearest points except the
 * player's own. The point id is a UUID derived from the player id, so upsert and erase address the
 * same point without a lookup.
 *
 * Not proven on a real Qdrant here (no package on these machines): apps/recommendation-engine/README.md.
 */
import { createHash } from 'node:crypto';
import { QdrantClient } from '@qdrant/js-client-rest';
import type { Features } from './features.ts';
import type { Neighbour, SimilarityIndex } from './similarity.ts';

export const VECTOR_SIZE = 128;

/** The point id of a player: the first 16 bytes of SHA-256(player id) as a UUID string. */
export function pointId(playerId: string): string {
  const h = createHash('sha256').update(playerId).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Game counts → a unit vector (feature hashing: dimension = SHA-256(game id) mod VECTOR_SIZE). */
export function toVector(features: Features): number[] {
  const v = new Array<number>(VECTOR_SIZE).fill(0);
  for (const [game, n] of Object.entries(features)) v[createHash('sha256').update(game).digest().readUInt32BE(0) % VECTOR_SIZE] += n;
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return norm === 0 ? v : v.map((x) => x / norm);
}

export class QdrantSimilarity implements SimilarityIndex {
  readonly name = 'qdrant';
  private readonly client: QdrantClient;
  private readonly collection: string;
  private ensured: Promise<void> | null = null;

  constructor(url: string, apiKey: string | undefined, collection: string) {
    this.client = new QdrantClient({ url, apiKey, checkCompatibility: false, timeout: 3000 });
    this.collection = collection;
  }

  private ensureCollection(): Promise<void> {
    this.ensured ??= (async () => {
      const { exists } = await this.client.collectionExists(this.collection);
      if (!exists) await this.client.createCollection(this.collection, { vectors: { size: VECTOR_SIZE, distance: 'Cosine' } });
    })().catch((e: unknown) => {
      this.ensured = null;
      throw e;
    });
    return this.ensured;
  }

  async upsert(players: Map<string, Features>): Promise<void> {
    if (players.size === 0) return;
    await this.ensureCollection();
    await this.client.upsert(this.collection, {
      wait: true,
      points: [...players].map(([playerId, features]) => ({ id: pointId(playerId), vector: toVector(features), payload: { playerId, features } })),
    });
  }

  async neighbours(playerId: string, features: Features, k: number): Promise<Neighbour[]> {
    await this.ensureCollection();
    const hits = await this.client.search(this.collection, {
      vector: toVector(features),
      limit: k,
      with_payload: true,
      filter: { must_not: [{ key: 'playerId', match: { value: playerId } }] },
    });
    return hits.map((h) => ({ playerId: String(h.payload?.playerId), similarity: h.score, features: (h.payload?.features ?? {}) as Features }));
  }

  async erase(playerId: string): Promise<number> {
    await this.ensureCollection();
    await this.client.delete(this.collection, { wait: true, points: [pointId(playerId)] });
    return 1;
  }

  async ready(): Promise<boolean> {
    try {
      await this.ensureCollection();
      return true;
    } catch {
      return false;
    }
  }
}
