/**
 * The record event-processor writes to player.events.processed for a new event: keyed by player,
 * the value is the event plus `score` (the payload's finite numeric score, else null) and
 * `processedAt`, headers `tenant` and the source record's `traceparent` when it had one.
 */
import type { IHeaders, Message } from 'kafkajs';
import type { RawEvent } from '@gamemetrics/service-kit/player-event.ts';
import { scoreOf } from './store.ts';

/** Builds the records of one chunk, all stamped with the same `processedAt`. */
export function processedRecords(processedAt: string): (event: RawEvent, source: IHeaders) => Message {
  const stamp = `,"processedAt":${JSON.stringify(processedAt)}}`;
  // Records without a trace share one headers object per tenant (kafkajs only reads headers).
  const tenantHeaders = new Map<string, IHeaders>();
  return (event, source) => {
    let headers = tenantHeaders.get(event.tenant);
    if (!headers) tenantHeaders.set(event.tenant, (headers = { tenant: event.tenant }));
    if (source.traceparent) headers = { ...headers, traceparent: source.traceparent };
    // A validated raw event has exactly the schema's fields (never score or processedAt), so the
    // two are appended before its closing brace instead of copying the object to add them.
    return { key: event.playerId, value: `${JSON.stringify(event).slice(0, -1)},"score":${JSON.stringify(scoreOf(event))}${stamp}`, headers };
  };
}
