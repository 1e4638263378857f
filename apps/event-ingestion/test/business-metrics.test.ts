// The business metrics of accepted events: counted per game; active players are the distinct players seen in the
// last five minutes, per game, and a game whose players all went quiet disappears.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { ACTIVE_WINDOW_MS, businessMetrics } from '../src/business-metrics.ts';

test('events per game and distinct active players per game, forgotten after the window', async () => {
  const registry = new Registry();
  let now = 1_000_000;
  const business = businessMetrics(registry, () => now);
  business.record([{ gameId: 'g1', playerId: 'p1' }, { gameId: 'g1', playerId: 'p1' }, { gameId: 'g1', playerId: 'p2' }, { gameId: 'g2', playerId: 'p3' }]);
  const value = async (name: string, game: string) => (await registry.getSingleMetric(name)!.get()).values.find((v) => v.labels.game_id === game)?.value;
  assert.equal(await value('player_events_accepted_total', 'g1'), 3);
  assert.equal(await value('player_events_accepted_total', 'g2'), 1);
  assert.equal(await value('active_players', 'g1'), 2);
  assert.equal(await value('active_players', 'g2'), 1);
  now += ACTIVE_WINDOW_MS - 1;
  business.record([{ gameId: 'g2', playerId: 'p3' }]);
  now += 2;
  assert.equal(await value('active_players', 'g1'), undefined, 'g1 went quiet: no series');
  assert.equal(await value('active_players', 'g2'), 1);
  assert.equal(await value('player_events_accepted_total', 'g1'), 3, 'counters never go down');
});
