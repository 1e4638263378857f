/**
 * Typed event contracts: every producer's real output validates against its topic's schema as
 * rendered (the `KAFKA_SCHEMA_<TOPIC>` its rendered dev ConfigMap gives it, checked by service-kit's
 * contracts.ts as in production) and is accepted by every consumer's own check of that topic. Each
 * producer and consumer the model declares is covered, or listed below as not written yet (and this
 * test fails once its code exists, so it gets covered). Records valid under a schema whose producer is
 * not written yet are checked against the consumers that exist.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Message, TopicMessages } from 'kafkajs';
import { loadConfig } from '@gamemetrics/service-kit/config.ts';
import { ContractViolationError, TopicContracts, validatingSink } from '@gamemetrics/service-kit/contracts.ts';
import { createMetrics } from '@gamemetrics/service-kit/metrics.ts';
import { parseRawEvent, type RawEvent } from '@gamemetrics/service-kit/player-event.ts';
import { loadModel } from '../../render/sources.ts';
import { buildApp as buildIngestion } from '../event-ingestion/src/app.ts';
import { checkIngestionConfig, ingestionSchema, type IngestionConfig } from '../event-ingestion/src/config.ts';
import { KEY, testEnv } from '../event-ingestion/test/env.ts';
import { processedRecords } from '../event-processor/src/processed-record.ts';
import { parseOutbound, parseRecommendation, type Parsed } from '../notification-service/src/records.ts';
import { deletionRequestMessage, parseDeletionRequest } from '@gamemetrics/service-kit/gdpr.ts';
import { parseProcessed } from '../recommendation-engine/src/consumer.ts';
import { deletionReceivedMessage } from '../user-service/src/notifications.ts';
import type { Recommendations } from '../recommendation-engine/src/recommend.ts';
import { renderedService, REPO } from './stack.ts';

const model = loadModel('dev');

/** Producers the model declares whose code does not write the topic yet, by topic (none today). */
const NOT_WRITTEN: Record<string, string[]> = {};

const reasonOf = (p: Parsed | { reason: string } | object) => ('reason' in p ? (p as { reason: string }).reason : undefined);
const asBuffer = (v: Message['value']) => (Buffer.isBuffer(v) ? v : Buffer.from(String(v)));

/** Each consumer's own check of a record it reads: undefined when accepted, else why not. */
const CONSUMERS: Record<string, Record<string, (value: Buffer, topic: string) => string | undefined>> = {
  'player.events.raw': { 'event-processor': (v) => reasonOf(parseRawEvent(v)) },
  'player.events.processed': { 'recommendation-engine': (v) => reasonOf(parseProcessed(v)) },
  'gdpr.deletion.requests': { 'event-processor': (v) => reasonOf(parseDeletionRequest(v)), 'recommendation-engine': (v) => reasonOf(parseDeletionRequest(v)) },
  'recommendations.generated': { 'notification-service': (v, t) => reasonOf(parseRecommendation(v, t, 'push')) },
  'notifications.outbound': { 'notification-service': (v, t) => reasonOf(parseOutbound(v, t)) },
};

/** The records event-ingestion writes for a mix of events, captured behind the production path's contract check. */
async function ingestionOutput(): Promise<Message[]> {
  const config = loadConfig<IngestionConfig>('event-ingestion', ingestionSchema, testEnv({ KAFKA_SCHEMA_PLAYER_EVENTS_RAW: renderedService('event-ingestion').config.KAFKA_SCHEMA_PLAYER_EVENTS_RAW }), checkIngestionConfig);
  const sent: TopicMessages[] = [];
  const sink = validatingSink({ send: async (tm) => void sent.push(...tm), isReady: () => true }, new TopicContracts(config, ['KAFKA_TOPIC_PLAYER_EVENTS_RAW']));
  const app = buildIngestion(config, { metrics: createMetrics('event-ingestion', false), producer: sink });
  const events = [
    { eventId: '7c1e5a52-3b7e-4d4e-9a53-2b5f0e1c9a01', playerId: 'p-1', gameId: 'g-1', type: 'score', timestamp: '2026-11-30T10:00:00.123Z', payload: { score: 42, level: 'forest' } },
    { eventId: '7C1E5A52-3B7E-4D4E-9A53-2B5F0E1C9A02', playerId: 'player:2', gameId: 'g.2', type: 'session_start', timestamp: '2026-11-30T10:00:00+02:00' },
    { eventId: '7c1e5a52-3b7e-4d4e-9a53-2b5f0e1c9a03', playerId: 'p_3', gameId: 'g-1', type: 'purchase', timestamp: '0001-01-01T00:00:00Z', payload: { sku: 'gem-pack', price: 4.99, nested: { a: [1, 2] } } },
  ];
  const res = await app.inject({ method: 'POST', url: '/v1/events/batch', headers: { 'content-type': 'application/json', 'x-api-key': KEY }, payload: { events } });
  assert.equal(res.statusCode, 202, res.body);
  await app.close();
  return sent.flatMap((tm) => tm.messages);
}

/** What event-processor writes for those records (the processed record builder, fed by the processor's own parse). */
async function processorOutput(): Promise<Message[]> {
  const raw = (await ingestionOutput()).map((m) => parseRawEvent(asBuffer(m.value)));
  const build = processedRecords('2026-11-30T10:00:01.000Z');
  return raw.map((r) => build((r as { event: RawEvent }).event, {}));
}

const deletionRequests = ['3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a', '3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0b', '3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0c'].map((requestId, i) => ({
  requestId,
  playerId: ['p-0', 'player:1', 'p_2.x'][i],
  requestedAt: new Date(Date.UTC(2026, 10, 30, 10, i)).toISOString(),
}));

/** What user-service's outbox writes to gdpr.deletion.requests (service-kit's deletion request record). */
async function userServiceOutput(): Promise<Message[]> {
  return deletionRequests.map(deletionRequestMessage);
}

/** What the outbox writes to notifications.outbound with those requests: the erasure confirmation, on the rendered channel. */
async function userServiceNotifications(): Promise<Message[]> {
  return deletionRequests.map((r) => deletionReceivedMessage(r, renderedService('user-service').config.ACCOUNT_NOTIFICATION_CHANNEL));
}

/** What recommendation-engine publishes: its Recommendations, as app.ts serialises them (typed by the producer's own interface). */
async function recommendationOutput(): Promise<Message[]> {
  const records: Recommendations[] = [
    { playerId: 'p-1', generatedAt: '2026-11-30T10:00:00.000Z', backend: 'redis', neighbours: 2, recommendations: [{ gameId: 'g-1', score: 0.75, reason: 'similar-players' }, { gameId: 'g-2', score: 0, reason: 'popular' }] },
    { playerId: 'p-2', generatedAt: '2026-11-30T10:00:01.000Z', backend: 'qdrant', neighbours: 0, recommendations: [{ gameId: 'g-3', score: 0, reason: 'popular' }] },
    { playerId: 'p-3', generatedAt: '2026-11-30T10:00:02.000Z', backend: 'redis', neighbours: 0, recommendations: [] },
  ];
  return records.map((r) => ({ key: r.playerId, value: JSON.stringify(r) }));
}

const PRODUCERS: Record<string, Record<string, () => Promise<Message[]>>> = {
  'player.events.raw': { 'event-ingestion': ingestionOutput },
  'player.events.processed': { 'event-processor': processorOutput },
  'gdpr.deletion.requests': { 'user-service': userServiceOutput },
  'recommendations.generated': { 'recommendation-engine': recommendationOutput },
  'notifications.outbound': { 'user-service': userServiceNotifications },
};

/** Records valid under the schema of a topic whose producer is not written yet: what its consumers must accept. */
const EXAMPLES: Record<string, unknown[]> = {};

const schemaTopics = model.topics.filter((t) => t.schema);

describe('typed event contracts', () => {
  test('every producer and consumer of a topic with a schema is covered here, or not written yet', () => {
    const uncovered: string[] = [];
    for (const topic of schemaTopics) {
      for (const p of topic.producers)
        if (!PRODUCERS[topic.name]?.[p] && !NOT_WRITTEN[topic.name]?.includes(p)) uncovered.push(`${topic.name}: producer ${p}`);
      for (const c of topic.consumers) if (!CONSUMERS[topic.name]?.[c]) uncovered.push(`${topic.name}: consumer ${c}`);
    }
    assert.deepEqual(uncovered, [], 'add their output or their check to apps/test/contracts.test.ts');
    // A producer listed as not writing yet: its code must not name the topic's variable (else cover it above).
    for (const [topic, services] of Object.entries(NOT_WRITTEN))
      for (const s of services) {
        const variable = `KAFKA_TOPIC_${topic.toUpperCase().replace(/\W/g, '_')}`;
        const src = join(REPO, 'apps', s, 'src');
        const mentions = existsSync(src) && readdirSync(src).some((f) => readFileSync(join(src, f), 'utf8').includes(variable));
        assert.equal(mentions, false, `${s} writes ${topic} now: cover its records here and drop it from NOT_WRITTEN`);
      }
  });

  for (const topic of schemaTopics) {
    const producers = Object.entries(PRODUCERS[topic.name] ?? {});
    for (const [producer, output] of producers)
      test(`${topic.name}: ${producer}'s records validate against the rendered schema and every consumer written so far (${Object.keys(CONSUMERS[topic.name] ?? {}).join(', ') || 'none'})`, async () => {
        const records = await output();
        assert.ok(records.length >= 3);
        const contracts = new TopicContracts(renderedService(producer).config, [`KAFKA_TOPIC_${topic.name.toUpperCase().replace(/\W/g, '_')}`]);
        for (const [i, m] of records.entries()) {
          assert.deepEqual(contracts.problems(topic.name, m.value), [], `record ${i}`);
          for (const [consumer, accepts] of Object.entries(CONSUMERS[topic.name] ?? {})) assert.equal(accepts(asBuffer(m.value), topic.name), undefined, `${consumer} refuses record ${i}`);
        }
      });
    if (producers.length === 0)
      test(`${topic.name}: records valid under its schema are accepted by every consumer written so far (${Object.keys(CONSUMERS[topic.name] ?? {}).join(', ') || 'none'})`, () => {
        const examples = EXAMPLES[topic.name] ?? [];
        assert.ok(examples.length > 0, `give ${topic.name} examples in EXAMPLES`);
        const check = new TopicContracts({ KAFKA_TOPIC_X: topic.name, KAFKA_SCHEMA_X: JSON.stringify(topic.schema) }, ['KAFKA_TOPIC_X']);
        for (const [i, e] of examples.entries()) {
          assert.deepEqual(check.problems(topic.name, JSON.stringify(e)), [], `example ${i}`);
          for (const [consumer, accepts] of Object.entries(CONSUMERS[topic.name] ?? {})) assert.equal(accepts(Buffer.from(JSON.stringify(e)), topic.name), undefined, `${consumer} refuses example ${i}`);
        }
      });
  }

  test('a record that breaks its topic\'s schema is never sent: the error names the topic, the record and the fields', async () => {
    const sent: TopicMessages[] = [];
    const config = { KAFKA_TOPIC_PLAYER_EVENTS_RAW: 'player.events.raw', KAFKA_SCHEMA_PLAYER_EVENTS_RAW: renderedService('event-ingestion').config.KAFKA_SCHEMA_PLAYER_EVENTS_RAW };
    const sink = validatingSink({ send: async (tm) => void sent.push(...tm), isReady: () => true }, new TopicContracts(config, ['KAFKA_TOPIC_PLAYER_EVENTS_RAW']));
    const [good] = await ingestionOutput();
    const bad = { ...JSON.parse(String(good.value)), playerId: undefined, type: 'teleport' };
    await assert.rejects(sink.send([{ topic: 'player.events.raw', messages: [good, { value: JSON.stringify(bad) }] }]), (e: unknown) => {
      assert.ok(e instanceof ContractViolationError);
      assert.equal(e.message, 'record 1 for player.events.raw breaks the topic\'s schema: /playerId is required; /type must be equal to one of the allowed values: session_start, session_end, level_up, achievement_unlocked, purchase, match_end, score');
      return true;
    });
    await assert.rejects(sink.send([{ topic: 'player.events.other', messages: [good] }]), /no schema for topic player\.events\.other/);
    assert.deepEqual(sent, [], 'nothing of a refused send is handed on');
  });

  test('an unusable schema in the ConfigMap stops the service at boot, naming the variable', () => {
    assert.throws(
      () => loadConfig<IngestionConfig>('event-ingestion', ingestionSchema, testEnv({ KAFKA_SCHEMA_PLAYER_EVENTS_RAW: '{"type":"object"' }), checkIngestionConfig),
      /KAFKA_SCHEMA_PLAYER_EVENTS_RAW is not a usable JSON Schema: /,
    );
  });
});
