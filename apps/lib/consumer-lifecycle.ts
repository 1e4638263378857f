/**
 * The life of a kafkajs consumer in a long-running service: start it until the broker answers
 * (pods start in any order), know whether it is in its group, and replace it when kafkajs gives up
 * on it (kafkajs restarts a consumer itself after retriable failures only; after any other, e.g. no
 * group coordinator found while the broker restarts, it stays down).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import type { Consumer } from 'kafkajs';

/** Run `attempt` (create, connect, subscribe, run) until it resolves or `stopping()`; `cleanup` after each failure. */
export async function startUntilStopped(attempt: () => Promise<void>, cleanup: () => Promise<void>, stopping: () => boolean, log: FastifyBaseLogger): Promise<void> {
  for (let n = 1; !stopping(); n++) {
    try {
      await attempt();
      return;
    } catch (err) {
      log.warn({ err, attempt: n }, 'Kafka consumer cannot start yet; retrying');
      await cleanup().catch(() => undefined);
      await sleep(Math.min(5000, 250 * n));
    }
  }
}

export interface Membership {
  /** The consumer joined (or rejoined) its group. */
  joined(): void;
  /** It crashed, disconnected or stopped: not in its group. */
  left(): void;
  /** Whether this consumer is still the service's current one, and the service is not stopping. */
  current(): boolean;
  /** kafkajs will not restart it: start a fresh one. */
  replace(): void;
}

export function watchConsumer(consumer: Consumer, membership: Membership, log: FastifyBaseLogger): void {
  consumer.on(consumer.events.GROUP_JOIN, () => membership.joined());
  for (const ev of [consumer.events.CRASH, consumer.events.DISCONNECT, consumer.events.STOP]) consumer.on(ev, () => membership.left());
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (payload.restart || !membership.current()) return;
    log.error({ err: payload.error }, 'Kafka consumer crashed; starting a new one');
    setTimeout(() => membership.replace(), 1000);
  });
}
