// Where a checkout's render daemon listens and keeps its pid and log, and whether this run may use one.
import { join } from 'node:path';
import { checkoutKey } from '../../../render/checkout-key.ts';

/** Longest Unix socket path Linux and macOS accept (sun_path holds 108 and 104 bytes). */
const MAX_SOCKET_PATH = 100;

export interface DaemonPlace {
  socket: string;
  pidFile: string;
  log: string;
}

/** The checkout's daemon files under node_modules/.cache, or null where no daemon can listen (Windows, a path too long for a socket). */
export function daemonPlace(repoRoot: string): DaemonPlace | null {
  if (process.platform === 'win32') return null;
  const base = join(repoRoot, 'node_modules', '.cache', 'gamemetrics-render', `daemon-${checkoutKey(repoRoot)}`);
  if (Buffer.byteLength(`${base}.sock`) > MAX_SOCKET_PATH) return null;
  return { socket: `${base}.sock`, pidFile: `${base}.pid`, log: `${base}.log` };
}

/**
 * Whether renders may go through a daemon: GAMEMETRICS_RENDER_DAEMON=1 always, =0 never; otherwise yes, except
 * in CI and under node --test, where every render is a process of its own.
 */
export function daemonWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.GAMEMETRICS_RENDER_DAEMON === '1') return true;
  if (env.GAMEMETRICS_RENDER_DAEMON === '0') return false;
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  return !ci && !env.NODE_TEST_CONTEXT;
}
