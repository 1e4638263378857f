/**
 * What the dashboard asks of other services: each one's `/readyz` and, from `/metrics`, the sum
 * of `kafka_consumer_lag`; user-service's GDPR API (docs: apps/admin-dashboard/README.md).
 */
import { AppError } from '@gamemetrics/service-kit/errors.ts';

export interface Health {
  name: string;
  status: 'ready' | 'not-ready' | 'unreachable';
  checks?: Record<string, string>;
  /** Messages behind, summed over the service's partitions; absent when it consumes nothing. */
  consumerLag?: number;
}

export async function health(name: string, base: string, timeoutMs: number): Promise<Health> {
  try {
    const [ready, metrics] = await Promise.all([
      fetch(`${base}/readyz`, { signal: AbortSignal.timeout(timeoutMs) }),
      fetch(`${base}/metrics`, { signal: AbortSignal.timeout(timeoutMs) }).then((r) => (r.ok ? r.text() : '')).catch(() => ''),
    ]);
    const body = (await ready.json().catch(() => ({}))) as { checks?: Record<string, string> };
    const lag = consumerLag(metrics);
    return { name, status: ready.status === 200 ? 'ready' : 'not-ready', checks: body.checks, ...(lag === undefined ? {} : { consumerLag: lag }) };
  } catch {
    return { name, status: 'unreachable' };
  }
}

/** The sum of the `kafka_consumer_lag` samples in a Prometheus text exposition; undefined without any. */
export function consumerLag(exposition: string): number | undefined {
  let sum: number | undefined;
  for (const line of exposition.split('\n')) {
    const m = /^kafka_consumer_lag(?:\{[^}]*\})?\s+(\S+)/.exec(line);
    if (m && Number.isFinite(Number(m[1]))) sum = (sum ?? 0) + Number(m[1]);
  }
  return sum;
}

/** A call to user-service; its coded errors pass through, anything else is a 502 saying so. */
export async function userService(base: string, method: string, path: string, timeoutMs: number): Promise<{ status: number; body: unknown }> {
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, { method, headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    throw new AppError(502, 'USER_SERVICE_UNAVAILABLE', `user-service did not answer ${method} ${path}: ${(e as Error).message}`, { cause: e });
  }
  const body = (await res.json().catch(() => undefined)) as { code?: string; message?: string } | undefined;
  if (res.status >= 500 || body === undefined)
    throw new AppError(502, 'USER_SERVICE_UNAVAILABLE', `user-service answered ${method} ${path} with HTTP ${res.status}`);
  if (res.status >= 400) throw new AppError(res.status, body.code ?? 'USER_SERVICE_REFUSED', body.message ?? `user-service refused ${method} ${path}`);
  return { status: res.status, body };
}
