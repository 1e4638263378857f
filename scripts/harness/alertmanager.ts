/**
 * A real Alertmanager (Debian's prometheus-alertmanager, the package that also ships amtool) on a free
 * loopback port, with a given configuration file, no clustering and its data in a temp dir. Used to prove
 * inhibition on the rendered configuration: alerts are posted through the v2 API and read back with their
 * status (`suppressed`, `inhibitedBy`).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, managedServer, requireCommand, startInTempDir, startedServer, type StartedServer } from './process.ts';

export const ALERTMANAGER_HINT = 'Install it with: apt-get install -y prometheus-alertmanager (or run scripts/harness/setup.sh).';

export interface AlertmanagerServer extends StartedServer {
  url: string;
}

export interface PostedAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface AlertStatus {
  labels: Record<string, string>;
  status: { state: 'active' | 'suppressed' | 'unprocessed'; inhibitedBy: string[]; silencedBy: string[] };
  receivers: Array<{ name: string }>;
}

/** Starts Alertmanager with `config` (the YAML or JSON text of an Alertmanager configuration file). */
export async function startAlertmanager(config: string): Promise<AlertmanagerServer> {
  const command = requireCommand('prometheus-alertmanager', ALERTMANAGER_HINT);
  return await startInTempDir('gm-alertmanager-', async (workDir) => {
    const host = '127.0.0.1';
    const port = await freePort();
    const configFile = join(workDir, 'alertmanager.yml');
    await writeFile(configFile, config);
    const logFile = join(workDir, 'alertmanager.log');
    const url = `http://${host}:${port}`;
    const args = [`--config.file=${configFile}`, `--storage.path=${join(workDir, 'data')}`, `--web.listen-address=${host}:${port}`, '--cluster.listen-address=', '--log.level=warn'];
    const server = managedServer({
      spec: () => ({ name: 'alertmanager', command, args, logFile }),
      what: `Alertmanager on ${host}:${port}`,
      ready: async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined),
      timeoutMs: 30_000,
      intervalMs: 100,
      stopTimeoutMs: 10_000,
      workDir,
    });
    await server.start();
    return { ...startedServer(host, port, logFile, server), url };
  });
}

export async function postAlerts(url: string, alerts: PostedAlert[]): Promise<void> {
  const response = await fetch(`${url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) });
  if (!response.ok) throw new Error(`POST ${url}/api/v2/alerts: ${response.status} ${await response.text()}`);
}

export async function listAlerts(url: string): Promise<AlertStatus[]> {
  const response = await fetch(`${url}/api/v2/alerts`);
  if (!response.ok) throw new Error(`GET ${url}/api/v2/alerts: ${response.status} ${await response.text()}`);
  return (await response.json()) as AlertStatus[];
}
