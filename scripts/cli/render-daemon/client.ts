// The render command's side of the render daemon (scripts/cli/render-daemon/server.ts): ask the checkout's
// daemon to render, start one for the next run, or stop it. Every failure to reach a daemon means "render here":
// a daemon is a shortcut, never a requirement.
import { readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { RENDER_OPTIONS } from '../render-io.ts';
import { type DaemonPlace, daemonPlace, daemonWanted } from './place.ts';
import type { DaemonReply, DaemonRequest } from './protocol.ts';

/** The daemon's young generation: a render allocates about 40 MB, as the npm script's flag allows for. */
const DAEMON_NODE_OPTIONS = ['--min-semi-space-size=64'];

/** How long a render may take in the daemon before the command gives up on it, stops it and renders itself. */
const REPLY_TIMEOUT_MS = 120_000;

/** Send one request; the reply, or null when no daemon answers (none running, a stale socket, a timeout). */
export function request(place: DaemonPlace, message: DaemonRequest, timeoutMs = REPLY_TIMEOUT_MS): Promise<DaemonReply | null> {
  return new Promise((resolve) => {
    const socket = connect(place.socket);
    let data = '';
    const timer = setTimeout(() => {
      socket.destroy();
      killDaemon(place);
      resolve(null);
    }, timeoutMs);
    const done = (reply: DaemonReply | null) => {
      clearTimeout(timer);
      resolve(reply);
    };
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify(message)}\n`));
    socket.on('data', (chunk) => (data += chunk));
    socket.on('error', () => done(null));
    socket.on('close', () => {
      try {
        done(JSON.parse(data) as DaemonReply);
      } catch {
        done(null);
      }
    });
  });
}

/** A daemon that does not answer in time is stopped: it must not write rendered/ while the command renders. */
function killDaemon(place: DaemonPlace): void {
  try {
    process.kill(Number(readFileSync(place.pidFile, 'utf8')), 'SIGKILL');
  } catch {
    // gone already
  }
  rmSync(place.socket, { force: true });
}

export interface RenderDaemon {
  /** Have the daemon render: its reply ('done': print it, exit with its code; otherwise render here), or null when none answers. */
  render(today: string): Promise<DaemonReply | null>;
  /** Start a daemon in the background for the next run (a second one exits at once). */
  start(): void;
}

/**
 * The checkout's daemon for a run with `argv`, or null when this run renders by itself: daemons are off
 * (GAMEMETRICS_RENDER_DAEMON=0, CI, tests, --no-daemon) or the arguments ask for what only the command does
 * (--check, --help, a usage mistake, which the command reports).
 */
export function renderDaemon(repoRoot: string, argv: readonly string[]): RenderDaemon | null {
  const place = daemonPlace(repoRoot);
  if (!place || !daemonWanted()) return null;
  try {
    const { values } = parseArgs({ args: [...argv], options: { ...RENDER_OPTIONS, help: { type: 'boolean', short: 'h' } }, strict: true });
    if (values.check || values.help || values['no-daemon'] || values['stop-daemon']) return null;
  } catch {
    return null;
  }
  return {
    render(today) {
      return request(place, { kind: 'render', argv: [...argv], today, node: process.version });
    },
    start() {
      const { spawn } = process.getBuiltinModule('node:child_process');
      // The daemon keeps its own log (place.log) once it holds the socket.
      spawn(process.execPath, [...DAEMON_NODE_OPTIONS, join(repoRoot, 'scripts', 'render-daemon.ts')], { cwd: repoRoot, detached: true, stdio: 'ignore' }).unref();
    },
  };
}

/** Stop the checkout's daemon; whether one was running. */
export async function stopDaemon(repoRoot: string): Promise<boolean> {
  const place = daemonPlace(repoRoot);
  if (!place) return false;
  return (await request(place, { kind: 'stop' }, 10_000))?.status === 'stopping';
}
