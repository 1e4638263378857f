/**
 * A stand-in for user-service's GDPR API (contract 7 in the session notes; svc-gdpr writes the real
 * one) that records what it is asked: `DELETE /v1/players/:id` → 202 `{ requestId, playerId,
 * status: 'pending' }`, `GET /v1/gdpr/requests?limit=N` → the requests made here, newest first,
 * `GET /readyz` → 200. Used only until user-service exists: it proves the requests the dashboard
 * sends, not user-service's side.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { freePort } from '../../scripts/harness/process.ts';

export interface Recorded {
  method: string;
  url: string;
}

export async function startUserServiceRecorder(): Promise<{ url: string; requests: Recorded[]; close(): Promise<void> }> {
  const requests: Recorded[] = [];
  const gdpr: Array<{ requestId: string; playerId: string; status: string }> = [];
  const port = await freePort();
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '' });
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const url = new URL(req.url ?? '/', 'http://x');
    const del = /^\/v1\/players\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'DELETE' && del) {
      const entry = { requestId: randomUUID(), playerId: decodeURIComponent(del[1]), status: 'pending' };
      gdpr.unshift(entry);
      json(202, entry);
    } else if (req.method === 'GET' && url.pathname === '/v1/gdpr/requests') json(200, { requests: gdpr.slice(0, Number(url.searchParams.get('limit') ?? 20)) });
    else if (req.method === 'GET' && url.pathname === '/readyz') json(200, { status: 'ready', checks: {} });
    else json(404, { statusCode: 404, code: 'NOT_FOUND', message: 'no route' });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
