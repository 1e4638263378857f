// Business metrics of accepted events, for the business dashboard: events per game, and the distinct players
// this replica accepted an event from in the last five minutes, per game (replicas each count their own).
import { Counter, Gauge, type Registry } from 'prom-client';

export const ACTIVE_WINDOW_MS = 5 * 60_000;

export interface BusinessMetrics {
  record(events: ReadonlyArray<{ gameId: string; playerId: string }>): void;
}

export function businessMetrics(registry: Registry, now: () => number = Date.now): BusinessMetrics {
  const accepted = new Counter({ name: 'player_events_accepted_total', help: 'Player events accepted, per game', labelNames: ['game_id'], registers: [registry] });
  const lastSeen = new Map<string, Map<string, number>>();
  new Gauge({
    name: 'active_players',
    help: 'Distinct players with an event accepted by this replica in the last 5 minutes, per game',
    labelNames: ['game_id'],
    registers: [registry],
    collect() {
      const cutoff = now() - ACTIVE_WINDOW_MS;
      this.reset();
      for (const [game, players] of lastSeen) {
        for (const [player, at] of players) if (at < cutoff) players.delete(player);
        if (players.size === 0) lastSeen.delete(game);
        else this.set({ game_id: game }, players.size);
      }
    },
  });
  return {
    record(events) {
      const at = now();
      for (const e of events) {
        accepted.inc({ game_id: e.gameId });
        let players = lastSeen.get(e.gameId);
        if (!players) lastSeen.set(e.gameId, (players = new Map()));
        players.set(e.playerId, at);
      }
    },
  };
}
