/**
 * event-ingestion's HTTP server on a real socket (the producer is a recorder): stalled and
 * trickling clients are cut within INGEST_REQUEST_TIMEOUT_MS while other clients still get 202,
 * a client's connections beyond INGEST_MAX_CONNECTIONS_PER_CLIENT are closed at once, idle
 * keep-alive connections close after INGEST_KEEPALIVE_TIMEOUT_MS, and oversized headers get the
 * coded 431 body.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import type { TopicMessages } from 'kafkajs';
import { loadConfig } from '@gamemetrics/service-kit/config.ts';
import { createMetrics } from '@gamemetrics/service-kit/metrics.ts';
import type { EventSink } from '@gamemetrics/service-kit/producer.ts';
import { buildApp } from '../src/app.ts';
import { checkIngestionConfig, ingestionSchema, type IngestionConfig } from '../src/config.ts';
import { KEY, testEnv } from './env.ts';

const TIMEOUT_MS = 1000;
const MAX_PER_CLIENT = 40;

const sink: EventSink = { send: async (_tm: TopicMessages[]) => undefined, isReady: () => true };
let app: FastifyInstance;
let port: number;

interface Probe {
  socket: Socket;
  closedAt?: number;
  data: string;
}

/** A connection from `localAddress`; records when the server closes it and what it answered. */
function open(localAddress = '127.0.0.1'): Promise<Probe> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    const probe: Probe = { socket, data: '' };
    socket.on('data', (d) => (probe.data += d.toString()));
    socket.on('close', () => (probe.closedAt ??= performance.now()));
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve(probe));
    socket.once('error', reject);
  });
}

const eventBody = () =>
  JSON.stringify({ eventId: randomUUID(), playerId: 'p1', gameId: 'g1', type: 'score', timestamp: new Date().toISOString(), payload: { score: 1 } });

/** A normal POST from another client address, over its own connection. */
async function postFrom(localAddress: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const probe = await open(localAddress);
  const body = eventBody();
  probe.socket.write(
    `POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-API-Key: ${KEY}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  while (probe.closedAt === undefined) await sleep(5);
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(probe.data)?.[1] ?? 0), ms: performance.now() - started };
}

describe('event-ingestion connections on a real socket', () => {
  before(async () => {
    const env = testEnv({
      INGEST_REQUEST_TIMEOUT_MS: String(TIMEOUT_MS),
      INGEST_KEEPALIVE_TIMEOUT_MS: String(TIMEOUT_MS),
      INGEST_MAX_CONNECTIONS_PER_CLIENT: String(MAX_PER_CLIENT),
    });
    const config = loadConfig<IngestionConfig>('event-ingestion', ingestionSchema, env, checkIngestionConfig);
    app = buildApp(config, { producer: sink, metrics: createMetrics('event-ingestion', false) });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
  });
  after(() => app.close());

  test('stalled and trickling clients are cut within the timeout; others still get 202', async () => {
    const started = performance.now();
    const stalled: Probe[] = [];
    // Three kinds from 127.0.0.1, up to the cap: nothing sent, headers never finished, a body promised and never sent.
    for (let i = 0; i < MAX_PER_CLIENT; i++) {
      const p = await open();
      if (i % 3 === 1) p.socket.write('POST /v1/events HTTP/1.1\r\nHost: x\r\n');
      if (i % 3 === 2) p.socket.write(`POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-API-Key: ${KEY}\r\nContent-Length: 5000\r\n\r\n{"e`);
      stalled.push(p);
    }
    // One that trickles a header byte every 100 ms: activity, but the request never completes.
    const trickler = await open();
    trickler.socket.write('POST /v1/events HTTP/1.1\r\nX-Slow: ');
    const drip = setInterval(() => trickler.socket.writable && trickler.socket.write('a'), 100);
    try {
      // Beyond the cap, the same client's next connection is closed at once.
      const excess = await open();
      await sleep(200);
      assert.notEqual(excess.closedAt, undefined, 'a connection beyond the per-client cap is closed at once');

      // Meanwhile another client (127.0.0.2) is served normally.
      for (let i = 0; i < 10; i++) {
        const res = await postFrom('127.0.0.2');
        assert.equal(res.status, 202);
        assert.ok(res.ms < TIMEOUT_MS, `a normal request took ${res.ms.toFixed(0)} ms while ${MAX_PER_CLIENT} connections stalled`);
      }

      // Every stalled connection is closed by the server within the timeout (plus Node's check interval and slack).
      const deadline = started + TIMEOUT_MS * 3;
      while ([...stalled, trickler].some((p) => p.closedAt === undefined) && performance.now() < deadline) await sleep(20);
      const open_ = [...stalled, trickler].filter((p) => p.closedAt === undefined).length;
      assert.equal(open_, 0, `${open_} stalled connection(s) still open ${TIMEOUT_MS * 3} ms later`);
      const promised = stalled.filter((_, i) => i % 3 === 2);
      assert.ok(promised.every((p) => p.data.startsWith('HTTP/1.1 408')), 'a request cut mid-body gets 408');
      assert.match(promised[0].data, /"code":"REQUEST_TIMEOUT"/);
    } finally {
      clearInterval(drip);
      for (const p of [...stalled, trickler]) p.socket.destroy();
    }
    // Once they are gone, 127.0.0.1 may connect again.
    assert.equal((await postFrom('127.0.0.1')).status, 202);
  });

  test('an idle keep-alive connection is closed after the keep-alive timeout', async () => {
    const p = await open('127.0.0.3');
    const body = eventBody();
    p.socket.write(`POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-API-Key: ${KEY}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    while (!p.data.includes('202')) await sleep(5);
    const answeredAt = performance.now();
    while (p.closedAt === undefined && performance.now() - answeredAt < TIMEOUT_MS * 3) await sleep(20);
    assert.notEqual(p.closedAt, undefined, 'the idle connection was closed');
  });

  test('oversized headers: 431 with the coded error body', async () => {
    const p = await open('127.0.0.4');
    p.socket.write(`POST /v1/events HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20 * 1024)}\r\n\r\n`);
    while (p.closedAt === undefined) await sleep(5);
    const [head, body] = p.data.split('\r\n\r\n');
    assert.match(head, /^HTTP\/1\.1 431 /);
    assert.deepEqual(JSON.parse(body), {
      statusCode: 431,
      code: 'HEADERS_TOO_LARGE',
      message: 'the request headers are larger than the server accepts (16 KiB); send fewer or shorter headers',
    });
  });
});
