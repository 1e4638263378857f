/**
 * One delivery attempt: POST the notification as JSON to its channel's webhook. The receiver gets
 * `Idempotency-Key: <notificationId>` (the same on every attempt and every redelivery, so it can
 * drop a repeat) and `X-Notification-Attempt`. 2xx is delivered; a network error, a timeout, 408,
 * 425, 429 and 5xx are worth retrying; any other status is final (the request itself is refused).
 */
import { context, propagation } from '@opentelemetry/api';
import type { Notification } from './records.ts';

export type Outcome = { delivered: true; status: number } | { delivered: false; retryable: boolean; reason: string };

const RETRYABLE = new Set([408, 425, 429]);

export async function deliver(url: URL, n: Notification, attempt: number, timeoutMs: number): Promise<Outcome> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': n.notificationId, 'x-notification-attempt': String(attempt) };
  propagation.inject(context.active(), headers);
  const body = JSON.stringify({ notificationId: n.notificationId, playerId: n.playerId, channel: n.channel, subject: n.subject, body: n.body, data: n.data, createdAt: n.createdAt });
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    const why = err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (err.cause?.code ?? err.message);
    return { delivered: false, retryable: true, reason: `webhook ${url.host}: ${why}` };
  }
  await response.body?.cancel().catch(() => undefined);
  if (response.status >= 200 && response.status < 300) return { delivered: true, status: response.status };
  const retryable = response.status >= 500 || RETRYABLE.has(response.status);
  return { delivered: false, retryable, reason: `webhook ${url.host} answered HTTP ${response.status}` };
}
