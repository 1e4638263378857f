/**
 * A mail relay on this machine for prediction-api's password-reset mail: a real HTTP server that takes
 * POSTed JSON messages with the expected bearer secret, keeps them in order, and answers with the status
 * a test sets (`respondWith`), as the transactional mail provider would.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';

export interface RelayedMessage {
  headers: IncomingHttpHeaders;
  body: any;
}

export interface MailRelayServer {
  url: string;
  secret: string;
  messages: RelayedMessage[];
  /** The status the next messages get (202 unless set); the message is recorded either way. */
  respondWith(status: number): void;
  /** Resolves with the first message to `to` (any case) after `since` messages, polling. */
  waitFor(to: string, since?: number, timeoutMs?: number): Promise<RelayedMessage>;
  stop(): Promise<void>;
}

export async function startMailRelay(secret: string): Promise<MailRelayServer> {
  const messages: RelayedMessage[] = [];
  let status = 202;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.headers.authorization !== `Bearer ${secret}`) {
        res.writeHead(401).end();
        return;
      }
      messages.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(status, { 'content-type': 'application/json' }).end('{"queued":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/v1/messages`,
    secret,
    messages,
    respondWith: (s) => void (status = s),
    async waitFor(to, since = 0, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.slice(since).find((m) => String(m.body.to).toLowerCase() === to.toLowerCase());
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no mail to ${to} reached the relay within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
