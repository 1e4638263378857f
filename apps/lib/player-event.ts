/**
 * The player event: the JSON schema the ingestion route validates and the processor re-checks.
 * One definition, shared, so the two can never disagree about what a valid event is.
 */
import { Ajv } from 'ajv';
import { addEventFormats } from './formats.ts';
import { toFieldErrors, type FieldError } from './errors.ts';

export const eventTypes = [
  'session_start',
  'session_end',
  'level_up',
  'achievement_unlocked',
  'purchase',
  'match_end',
  'score',
] as const;
export type EventType = (typeof eventTypes)[number];

export interface PlayerEvent {
  eventId: string;
  playerId: string;
  gameId: string;
  type: EventType;
  /** RFC 3339 date-time when the event happened on the client. */
  timestamp: string;
  /** Free-form details; a numeric `score` counts towards leaderboards. */
  payload: Record<string, unknown>;
}

/** What travels on player.events.raw: the event plus what ingestion learnt about it. */
export interface RawEvent extends PlayerEvent {
  tenant: string;
  receivedAt: string;
}

/** PostgreSQL's calendar has no year 0000 (1 BC is followed by AD 1), though RFC 3339 allows it. */
export const NOT_YEAR_ZERO = '^(?!0000)';

export const idSchema = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]*$' } as const;

export const playerEventSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['eventId', 'playerId', 'gameId', 'type', 'timestamp'],
  properties: {
    eventId: { type: 'string', format: 'uuid' },
    playerId: idSchema,
    gameId: idSchema,
    type: { type: 'string', enum: eventTypes },
    timestamp: { type: 'string', format: 'date-time', pattern: NOT_YEAR_ZERO },
    payload: { type: 'object', maxProperties: 64, default: {} },
  },
} as const;

export const rawEventSchema = {
  ...playerEventSchema,
  required: [...playerEventSchema.required, 'tenant', 'receivedAt'],
  properties: {
    ...playerEventSchema.properties,
    tenant: { type: 'string', minLength: 1, maxLength: 64 },
    receivedAt: { type: 'string', format: 'date-time' },
  },
} as const;

// The schema's patterns are ASCII classes, which match the same strings with or without the `u`
// flag; without it V8 runs them faster.
const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true, unicodeRegExp: false });
addEventFormats(ajv);
const validateRaw = ajv.compile(rawEventSchema);

/** Check a record from player.events.raw; returns the event or the reasons it is poison. */
export function parseRawEvent(value: Buffer | null): { event: RawEvent } | { reason: string; errors?: FieldError[] } {
  if (value == null || value.length === 0) return { reason: 'empty message' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch (e) {
    return { reason: `not JSON: ${(e as Error).message}` };
  }
  if (!validateRaw(parsed)) {
    const errors = toFieldErrors('value', validateRaw.errors ?? []);
    return { reason: `schema: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, errors };
  }
  const event = parsed as unknown as RawEvent;
  // UUIDs compare case-insensitively; the store and the de-duplication use the lower-case form.
  event.eventId = event.eventId.toLowerCase();
  return { event };
}
