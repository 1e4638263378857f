/**
 * A real Prometheus server (Debian's `prometheus` package) for tests.
 *
 * ```ts
 * const prometheus = await startPrometheus({
 *   scrape: [{ job: 'event-ingestion', target: '127.0.0.1:8080', labels: { namespace: 'gamemetrics', service: 'event-ingestion' } }],
 *   rules: [{ name: 'slo-x', rules: [...] }],       // rule groups, as in a PrometheusRule's spec.groups
 *   interval: '1s',                                  // scrape and evaluation interval
 * });
 * after(() => prometheus.stop());
 * const samples = await prometheus.query('up');
 * ```
 *
 * - 127.0.0.1:<free port>, TSDB in a temp dir, deleted by `stop()`.
 * - `labels` are set on every series of the target, as a ServiceMonitor's target labels would be.
 * - `query(expr)`: the instant vector of `expr` through the HTTP API (`/api/v1/query`).
 * - `scrapeConfigs`: raw scrape jobs besides `scrape` (a ServiceMonitor's relabelings, two Services over one pod).
 * - `args`: further flags (the storage retention flags the operator passes, say); `get(path)` reads any API path.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort, managedServer, requireCommand, startInTempDir } from './process.ts';

export interface ScrapeTarget {
  job: string;
  /** host:port serving /metrics. */
  target: string;
  labels?: Record<string, string>;
}

export interface StartPrometheusOptions {
  scrape: ScrapeTarget[];
  /** Rule groups to load (`{ name, rules }` each). */
  rules?: unknown[];
  /** Scrape and rule evaluation interval. @default '1s' */
  interval?: string;
  /** Further command-line flags (`--storage.tsdb.retention.size=50GB`). @default [] */
  args?: string[];
  /** Scrape jobs written as they are into `scrape_configs` (relabelings, several target groups per job). @default [] */
  scrapeConfigs?: unknown[];
}

export interface Sample {
  metric: Record<string, string>;
  value: number;
}

export interface PrometheusServer {
  url: string;
  logFile: string;
  /** The instant vector of `expr` now. */
  query(expr: string): Promise<Sample[]>;
  /** The `data` of a GET on an API path (`/api/v1/status/runtimeinfo`). */
  get(path: string): Promise<unknown>;
  stop(): Promise<void>;
}

export async function startPrometheus(options: StartPrometheusOptions): Promise<PrometheusServer> {
  requireCommand('prometheus', 'Install it with: apt-get install -y prometheus (or run scripts/harness/setup.sh).');
  return await startInTempDir('gm-prometheus-', async (workDir) => {
    const host = '127.0.0.1';
    const port = await freePort();
    const interval = options.interval ?? '1s';
    const rulesFile = join(workDir, 'rules.yaml');
    await writeFile(rulesFile, stringify({ groups: options.rules ?? [] }, { lineWidth: 0 }));
    const configFile = join(workDir, 'prometheus.yml');
    await writeFile(configFile, stringify({
      global: { scrape_interval: interval, evaluation_interval: interval },
      rule_files: [rulesFile],
      scrape_configs: [...options.scrape.map((s) => ({ job_name: s.job, static_configs: [{ targets: [s.target], labels: s.labels ?? {} }] })), ...(options.scrapeConfigs ?? [])],
    }));
    const logFile = join(workDir, 'prometheus.log');
    const url = `http://${host}:${port}`;
    const server = managedServer({
      spec: () => ({
        name: 'prometheus',
        command: 'prometheus',
        args: [`--config.file=${configFile}`, `--storage.tsdb.path=${join(workDir, 'data')}`, `--web.listen-address=${host}:${port}`, '--log.level=warn', ...(options.args ?? [])],
        logFile,
      }),
      what: `Prometheus on ${host}:${port}`,
      ready: async () => ((await fetch(`${url}/-/ready`)).status === 200 ? true : undefined),
      timeoutMs: 60_000,
      intervalMs: 200,
      stopTimeoutMs: 10_000,
      workDir,
    });
    await server.start();
    return {
      url,
      logFile,
      async query(expr: string): Promise<Sample[]> {
        const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
        const body = (await response.json()) as { status: string; error?: string; data?: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
        if (body.status !== 'success' || body.data?.resultType !== 'vector') throw new Error(`query ${expr} failed: ${body.error ?? body.data?.resultType}`);
        return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
      },
      async get(path: string): Promise<unknown> {
        const body = (await (await fetch(`${url}${path}`)).json()) as { status: string; error?: string; data?: unknown };
        if (body.status !== 'success') throw new Error(`GET ${path} failed: ${body.error}`);
        return body.data;
      },
      stop: server.destroy,
    };
  });
}
