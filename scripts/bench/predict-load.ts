/**
 * The load side of `npm run bench:predict`, run as its own process so that autocannon does not share the
 * server's event loop. Argument: JSON { url, headers, body, connections, durationS, rate? }. Prints JSON:
 * every response's latency percentiles (p50, p95, p99; autocannon's own summary has no p95), requests/s,
 * and the status codes.
 */
import autocannon from 'autocannon';

const opts = JSON.parse(process.argv[2]) as { url: string; headers: Record<string, string>; body: string; connections: number; durationS: number; rate?: number };
const latencies: number[] = [];
const statuses: Record<string, number> = {};
const instance = autocannon({
  url: opts.url,
  method: 'POST',
  headers: opts.headers,
  body: opts.body,
  connections: opts.connections,
  duration: opts.durationS,
  ...(opts.rate ? { overallRate: opts.rate } : {}),
}, (err, result) => {
  if (err) throw err;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  process.stdout.write(
    JSON.stringify({ requests: latencies.length, rps: latencies.length / opts.durationS, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: latencies.at(-1), statuses, errors: result.errors, timeouts: result.timeouts }),
  );
});
instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
  latencies.push(responseTime);
  statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
});
