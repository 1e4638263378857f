/**
 * The dead letter of a consumed record a service could not apply: the original key, value and
 * headers, plus `x-dlq-reason`, `x-dlq-source` (`topic/partition/offset`), `x-dlq-service` and
 * `x-dlq-failed-at`, and any `extra` headers (e.g. the delivery attempts). One shape, so one tool can read every DLQ.
 */
import type { IHeaders, KafkaMessage, Message } from 'kafkajs';

export const DLQ_REASON_HEADER = 'x-dlq-reason';

export function deadLetter(service: string, topic: string, partition: number, message: KafkaMessage, reason: string, extra: IHeaders = {}): Message {
  return {
    key: message.key,
    value: message.value,
    headers: {
      ...(message.headers ?? {}),
      [DLQ_REASON_HEADER]: reason.slice(0, 1000),
      'x-dlq-source': `${topic}/${partition}/${message.offset}`,
      'x-dlq-service': service,
      'x-dlq-failed-at': new Date().toISOString(),
      ...extra,
    },
  };
}
