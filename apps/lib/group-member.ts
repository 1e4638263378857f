/**
 * What every consumer-group service does around kafkajs's consumer: start it, retrying while Kafka
 * is unreachable until the service stops; follow its membership (for readiness); and replace it
 * when kafkajs gives up on it (kafkajs restarts itself after retriable failures only; after any other,
 * e.g. no group coordinator while the broker restarts, the consumer stays down).
 */
import type { Consumer } from 'kafkajs';
import type { FastifyBaseLogger as Logger } from 'fastify';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Run `start` until it succeeds or `stopping()`; after each failure `cleanUp`, then back off (250 ms × attempt, at most 5 s). */
export async function startUntilStopped(start: () => Promise<void>, stopping: () => boolean, cleanUp: () => Promise<void>, log: Logger): Promise<void> {
  for (let attempt = 1; !stopping(); attempt++) {
    try {
      await start();
      return;
    } catch (err) {
      log.warn({ err, attempt }, 'Kafka consumer cannot start yet; retrying');
      await cleanUp();
      await sleep(Math.min(5000, 250 * attempt));
    }
  }
}

export interface MemberEvents {
  /** Joined (or re-joined) the group: partitions may have moved. */
  joined(): void;
  /** Crashed, disconnected or stopped. */
  left(): void;
  /** kafkajs gave up on it; called only while it is still the service's current member and the service is not stopping. */
  replace(): void;
  current(): boolean;
  stopping(): boolean;
  log: Logger;
}

export function watchMember(consumer: Consumer, events: MemberEvents): void {
  consumer.on(consumer.events.GROUP_JOIN, () => events.joined());
  for (const ev of [consumer.events.CRASH, consumer.events.DISCONNECT, consumer.events.STOP]) consumer.on(ev, () => events.left());
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (payload.restart || events.stopping() || !events.current()) return;
    events.log.error({ err: payload.error }, 'Kafka consumer crashed; starting a new one');
    setTimeout(() => events.replace(), 1000);
  });
}
