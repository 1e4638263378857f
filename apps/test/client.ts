/** Small clients the real-server tests and the bench share: events, HTTP posts, SSE, topic reads. */
import { randomUUID } from 'node:crypto';
import type { Kafka as KafkaClient, KafkaMessage } from 'kafkajs';
import kafkajs from '../lib/kafkajs.ts';

export interface TestEvent {
  eventId: string;
  playerId: string;
  gameId: string;
  type: string;
  timestamp: string;
  payload: Record<string, unknown>;
}

export function makeEvent(gameId: string, playerId: string, score?: number, type = score === undefined ? 'session_start' : 'score'): TestEvent {
  return {
    eventId: randomUUID(),
    playerId,
    gameId,
    type,
    timestamp: new Date().toISOString(),
    payload: score === undefined ? {} : { score },
  };
}

export async function postEvents(baseUrl: string, apiKey: string, events: TestEvent[]): Promise<{ status: number; body: any }> {
  const single = events.length === 1;
  const res = await fetch(`${baseUrl}/v1/events${single ? '' : '/batch'}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body: JSON.stringify(single ? events[0] : { events }),
  });
  return { status: res.status, body: await res.json() };
}

export interface SseEvent {
  event: string;
  data: any;
}

/** An open Server-Sent Events stream collecting its events. */
export interface SseStream {
  events: SseEvent[];
  /** Resolves with the first collected event matching `predicate` (waits up to `timeoutMs`). */
  waitFor(predicate: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const controller = new AbortController();
  const res = await fetch(url, { signal: controller.signal, headers: { accept: 'text/event-stream', ...headers } });
  if (res.status !== 200 || !res.body) throw new Error(`SSE ${url} answered ${res.status}: ${await res.text()}`);
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split('\n').filter((l) => !l.startsWith(':'));
          const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
          const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
          if (event) events.push({ event, data: JSON.parse(data) });
          for (const w of waiters) w();
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    events,
    waitFor(predicate, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(predicate);
          if (found) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`SSE ${url}: no matching event within ${timeoutMs} ms; got ${JSON.stringify(events.slice(-3))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => controller.abort(),
  };
}

/** Read a topic from the beginning until `until` holds for what was read (or the timeout). */
export async function readTopic(
  client: KafkaClient,
  topic: string,
  until: (messages: KafkaMessage[]) => boolean,
  timeoutMs = 30_000,
): Promise<KafkaMessage[]> {
  const consumer = client.consumer({ groupId: `test-reader-${randomUUID()}`, maxWaitTimeInMs: 100 });
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${topic}: condition not met within ${timeoutMs} ms (${messages.length} messages read)`)), timeoutMs);
      consumer.on(consumer.events.CRASH, (e) => reject(e.payload.error));
      consumer
        .run({
          eachBatch: async ({ batch }) => {
            messages.push(...batch.messages);
            if (until(messages)) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
      if (until(messages)) {
        clearTimeout(timer);
        resolve();
      }
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}

/** Poll until `probe` returns a value (not undefined). */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not reached within ${timeoutMs} ms${last ? ` (last error: ${(last as Error).message})` : ''}`);
}

export const { logLevel } = kafkajs;
