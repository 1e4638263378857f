/**
 * A local webhook receiver for notification-service's tests: one HTTP server, one path per
 * channel (`/<channel>`), each with a behaviour (answer 200, fail the first N calls of each
 * notification, always fail, refuse). It records every call and honours `Idempotency-Key` the way
 * the webhook contract asks receivers to: a notification is *applied* once, repeats get 200 and
 * are only counted.
 */
import { createServer, type Server } from 'node:http';
import { freePort } from '../../scripts/harness/process.ts';

export type Behaviour = { ok: true; delayMs?: number } | { failFirst: number; status: number } | { always: number };

export interface Call {
  channel: string;
  key: string;
  attempt: number;
  /** performance.now() when the call arrived. */
  at: number;
  status: number;
  body: Record<string, unknown>;
}

export interface Receiver {
  url: (channel: string) => string;
  calls: Call[];
  /** Notification ids applied (first successful call per Idempotency-Key), in order. */
  applied: string[];
  close(): Promise<void>;
}

export async function startReceiver(behaviours: Record<string, Behaviour>): Promise<Receiver> {
  const calls: Call[] = [];
  const applied: string[] = [];
  const appliedSet = new Set<string>();
  const seen = new Map<string, number>();
  const port = await freePort();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const channel = (req.url ?? '/').slice(1);
      const key = String(req.headers['idempotency-key'] ?? '');
      const n = (seen.get(`${channel}/${key}`) ?? 0) + 1;
      seen.set(`${channel}/${key}`, n);
      const b = behaviours[channel];
      let status = 404;
      if (b && 'ok' in b) {
        if (b.delayMs) await new Promise((r) => setTimeout(r, b.delayMs));
        status = 200;
      } else if (b && 'failFirst' in b) status = n <= b.failFirst ? b.status : 200;
      else if (b && 'always' in b) status = b.always;
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        status = 400;
      }
      calls.push({ channel, key, attempt: Number(req.headers['x-notification-attempt']), at: performance.now(), status, body });
      if (status === 200 && !appliedSet.has(key)) {
        appliedSet.add(key);
        applied.push(key);
      }
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: (channel) => `http://127.0.0.1:${port}/${channel}`,
    calls,
    applied,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
