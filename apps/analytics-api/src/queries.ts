/** The read queries behind analytics-api's endpoints (all over `player_events`). */
import type pg from 'pg';

export const windows = { '5m': 300, '15m': 900, '1h': 3600, '6h': 21600, '24h': 86400, '7d': 604800, '30d': 2592000 } as const;
export type WindowName = keyof typeof windows;

export interface Range {
  window: WindowName;
  from: Date;
  to: Date;
}

export function rangeOf(window: WindowName, to?: string): Range {
  const end = to ? new Date(to) : new Date();
  return { window, from: new Date(end.getTime() - windows[window] * 1000), to: end };
}

export interface PlayerStats {
  playerId: string;
  window: WindowName;
  from: string;
  to: string;
  totalEvents: number;
  totalScore: number;
  byType: Record<string, number>;
  games: Array<{ gameId: string; events: number; score: number }>;
  firstEventAt: string | null;
  lastEventAt: string | null;
}

export async function playerStats(pool: pg.Pool, playerId: string, range: Range, gameId?: string): Promise<PlayerStats> {
  const params: unknown[] = [playerId, range.from, range.to];
  if (gameId) params.push(gameId);
  const { rows } = await pool.query<{ game_id: string; type: string; events: number; score: number; first: Date; last: Date }>(
    `SELECT game_id, type, count(*)::int AS events, coalesce(sum(score), 0)::float8 AS score, min(ts) AS first, max(ts) AS last
       FROM player_events
      WHERE player_id = $1 AND ts >= $2 AND ts <= $3 ${gameId ? 'AND game_id = $4' : ''}
      GROUP BY game_id, type`,
    params,
  );
  const byType: Record<string, number> = {};
  const games = new Map<string, { gameId: string; events: number; score: number }>();
  let first: Date | null = null;
  let last: Date | null = null;
  for (const r of rows) {
    byType[r.type] = (byType[r.type] ?? 0) + r.events;
    const g = games.get(r.game_id) ?? { gameId: r.game_id, events: 0, score: 0 };
    g.events += r.events;
    g.score += r.score;
    games.set(r.game_id, g);
    if (!first || r.first < first) first = r.first;
    if (!last || r.last > last) last = r.last;
  }
  const list = [...games.values()].sort((a, b) => a.gameId.localeCompare(b.gameId));
  return {
    playerId,
    window: range.window,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    totalEvents: list.reduce((n, g) => n + g.events, 0),
    totalScore: list.reduce((n, g) => n + g.score, 0),
    byType,
    games: list,
    firstEventAt: first?.toISOString() ?? null,
    lastEventAt: last?.toISOString() ?? null,
  };
}

export interface Leaderboard {
  gameId: string;
  window: WindowName;
  from: string;
  to: string;
  limit: number;
  offset: number;
  /** Players with a score in the window. */
  total: number;
  /** Offset of the next page, null on the last page. */
  nextOffset: number | null;
  entries: Array<{ rank: number; playerId: string; score: number; events: number }>;
}

/** Players ranked by the sum of their event scores in the window; ties by player id. */
export async function leaderboard(pool: pg.Pool, gameId: string, range: Range, limit: number, offset: number): Promise<Leaderboard> {
  const where = 'game_id = $1 AND ts >= $2 AND ts <= $3 AND score IS NOT NULL';
  const [page, count] = await Promise.all([
    pool.query<{ player_id: string; score: number; events: number }>(
      `SELECT player_id, sum(score)::float8 AS score, count(*)::int AS events
         FROM player_events WHERE ${where}
        GROUP BY player_id ORDER BY score DESC, player_id ASC LIMIT $4 OFFSET $5`,
      [gameId, range.from, range.to, limit, offset],
    ),
    pool.query<{ total: number }>(`SELECT count(DISTINCT player_id)::int AS total FROM player_events WHERE ${where}`, [gameId, range.from, range.to]),
  ]);
  const total = count.rows[0]?.total ?? 0;
  return {
    gameId,
    window: range.window,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    limit,
    offset,
    total,
    nextOffset: offset + limit < total ? offset + limit : null,
    entries: page.rows.map((r, i) => ({ rank: offset + i + 1, playerId: r.player_id, score: r.score, events: r.events })),
  };
}

/** All-time event counts of a game by type: the starting point of a live stream. */
export async function gameCounts(pool: pg.Pool, gameId: string): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ type: string; events: number }>(
    'SELECT type, count(*)::int AS events FROM player_events WHERE game_id = $1 GROUP BY type',
    [gameId],
  );
  return Object.fromEntries(rows.map((r) => [r.type, r.events]));
}
