/**
 * The account messages user-service sends the player on notifications.outbound (notification-service
 * delivers them to the channel's webhook). One today: the confirmation that an erasure request was
 * received (GDPR Art. 12(3): the player is told what is done about the request), published by the
 * outbox with the request itself. Its id is derived from the request id, so a request published
 * twice yields the same notification id, which notification-service delivers once.
 */
import { createHash } from 'node:crypto';
import type { DeletionRequest, deletionRequestMessage } from '@gamemetrics/service-kit/gdpr.ts';

/** A record as service-kit's producers take it (kafkajs's Message). */
type Message = ReturnType<typeof deletionRequestMessage>;

/** `data.kind` of the erasure confirmation (receivers may route on it). */
export const DELETION_RECEIVED = 'gdpr.deletion.received';

/** A UUID (version 5 layout) from a name: the same name, the same id. */
export function nameBasedUuid(name: string): string {
  const b = createHash('sha1').update(name).digest().subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The notifications.outbound record confirming `request` to its player on `channel`. */
export function deletionReceivedMessage(request: DeletionRequest, channel: string): Message {
  const notification = {
    notificationId: nameBasedUuid(`${DELETION_RECEIVED}:${request.requestId}`),
    playerId: request.playerId,
    channel,
    subject: 'We are deleting your data',
    body: `We received your request to delete your account and data (request ${request.requestId}). Your profile is deleted; the rest of your data follows within the hour.`,
    data: { kind: DELETION_RECEIVED, requestId: request.requestId, requestedAt: request.requestedAt },
    createdAt: request.requestedAt,
  };
  return { key: request.playerId, value: JSON.stringify(notification), headers: { 'content-type': 'application/json' } };
}
