/**
 * What notification-service accepts from its two topics, and the notification it makes of each:
 * - notifications.outbound: `{ notificationId (uuid), playerId, channel, body, subject?, data?, createdAt }`;
 * - recommendations.generated: `{ playerId, generatedAt, recommendations: [{ gameId, score, reason }] }`
 *   (recommendation-engine), delivered on NOTIFY_RECOMMENDATION_CHANNEL with the id
 *   `recommendation:<playerId>:<generatedAt>` (the same record always gets the same id, so a
 *   redelivered record is recognised); one with no recommendations is nothing to deliver.
 * Fields beyond these are ignored (producers may add fields without breaking this consumer).
 */
import { Ajv } from 'ajv';
import { addEventFormats } from '@gamemetrics/service-kit/formats.ts';
import { toFieldErrors } from '@gamemetrics/service-kit/errors.ts';
import { idSchema } from '@gamemetrics/service-kit/player-event.ts';

export interface Notification {
  notificationId: string;
  playerId: string;
  channel: string;
  subject?: string;
  body: string;
  data?: Record<string, unknown>;
  createdAt: string;
  /** The topic it came from. */
  source: string;
}

const channelSchema = { type: 'string', pattern: '^[a-z][a-z0-9-]*$', maxLength: 64 } as const;

export const outboundSchema = {
  type: 'object',
  required: ['notificationId', 'playerId', 'channel', 'body', 'createdAt'],
  properties: {
    notificationId: { type: 'string', format: 'uuid' },
    playerId: idSchema,
    channel: channelSchema,
    subject: { type: 'string', maxLength: 200 },
    body: { type: 'string', minLength: 1, maxLength: 4000 },
    data: { type: 'object' },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

export const recommendationSchema = {
  type: 'object',
  required: ['playerId', 'generatedAt', 'recommendations'],
  properties: {
    playerId: idSchema,
    generatedAt: { type: 'string', format: 'date-time' },
    recommendations: {
      type: 'array',
      maxItems: 100,
      items: { type: 'object', required: ['gameId'], properties: { gameId: idSchema, score: { type: 'number' } } },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: true, strict: false });
addEventFormats(ajv);
const validateOutbound = ajv.compile(outboundSchema);
const validateRecommendation = ajv.compile(recommendationSchema);

export type Parsed = { notification: Notification } | { reason: string } | { skip: string };

function parseJson(value: Buffer | null): { json: unknown } | { reason: string } {
  if (value == null || value.length === 0) return { reason: 'empty message' };
  try {
    return { json: JSON.parse(value.toString('utf8')) };
  } catch (e) {
    return { reason: `not JSON: ${(e as Error).message}` };
  }
}

function schemaReason(errors: Parameters<typeof toFieldErrors>[1]): string {
  return `schema: ${toFieldErrors('value', errors).map((e) => `${e.path} ${e.message}`).join('; ')}`;
}

/** A notifications.outbound record as a notification, or why it is poison. */
export function parseOutbound(value: Buffer | null, topic: string): Parsed {
  const parsed = parseJson(value);
  if ('reason' in parsed) return parsed;
  if (!validateOutbound(parsed.json)) return { reason: schemaReason(validateOutbound.errors ?? []) };
  const r = parsed.json as Omit<Notification, 'source'>;
  return {
    notification: { notificationId: r.notificationId.toLowerCase(), playerId: r.playerId, channel: r.channel, subject: r.subject, body: r.body, data: r.data, createdAt: r.createdAt, source: topic },
  };
}

/** A recommendations.generated record as a notification on `channel`, or why it is poison. */
export function parseRecommendation(value: Buffer | null, topic: string, channel: string): Parsed {
  const parsed = parseJson(value);
  if ('reason' in parsed) return parsed;
  if (!validateRecommendation(parsed.json)) return { reason: schemaReason(validateRecommendation.errors ?? []) };
  const r = parsed.json as { playerId: string; recommendations: Array<{ gameId: string; score?: number }>; generatedAt: string };
  if (r.recommendations.length === 0) return { skip: 'no recommendations' };
  const items = r.recommendations.map((x) => ({ gameId: x.gameId, score: x.score }));
  return {
    notification: {
      notificationId: `recommendation:${r.playerId}:${r.generatedAt}`,
      playerId: r.playerId,
      channel,
      subject: 'New recommendations',
      body: `${items.length} new recommendation${items.length === 1 ? '' : 's'} for you`,
      data: { recommendations: items },
      createdAt: r.generatedAt,
      source: topic,
    },
  };
}
