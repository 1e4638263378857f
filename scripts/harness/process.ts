/**
 * Shared plumbing for the real-server test harness (Kafka, PostgreSQL, Redis):
 *
 * - `freePort()`            a free TCP port on 127.0.0.1 (asked of the kernel, then released).
 * - `waitFor(probe, opts)`  polls until `probe()` returns a value, or fails after a timeout with
 *                           a message built by the caller (usually the tail of a server log).
 * - `spawnServer(spec)`     starts a server process with stdout+stderr appended to a log file,
 *                           tracks its pid and guarantees it dies with the test process:
 *                           a `process.on('exit')` handler kills every live child, and the child
 *                           is started under `setpriv --pdeathsig` so the kernel signals it even
 *                           when the test process is killed hard (SIGKILL, runner timeout).
 * - `startInTempDir()`      runs a server start in a fresh temp dir, deletes the dir when the start
 *                           fails, and tries again when another process took the port meanwhile.
 * - `managedServer(opts)`   start (spawn + wait until ready, log tail on failure) / stop / restart /
 *                           kill (SIGKILL, a crash) of one server, the lifecycle all servers share.
 * - `runTool()`            a short command run to completion with execa (initdb, mvn, ScramUsers).
 * - `requireCommand()`      a clear error when a needed program is not installed.
 * - `tailFile()`            the last lines of a log, for error messages.
 *
 * Only processes started here are ever signalled, by their own pid.
 *
 * Servers use node's spawn, not execa: a supervised server is a ChildProcess whose exit is an event the
 * supervisor watches (not a result or an error), whose output goes to a log file (nothing to capture),
 * and whose death with this process is the kernel's job (setpriv --pdeathsig), which execa cannot add.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';

/** A free TCP port on `host`: bound to port 0, read back, released. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return await new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error(`no free port on ${host}`))));
    });
  });
}

export interface WaitOptions {
  /** What is being waited for, used in the timeout error ("Kafka broker on 127.0.0.1:1234"). */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  /** Extra text for the timeout error, e.g. the tail of the server log. */
  detail?: () => string;
  /** Stop waiting early with this error when it returns a message (e.g. "the process exited"). */
  abort?: () => string | undefined;
  /** One probe taking longer than this counts as "not yet" (default 10 000 ms): a probe that
   *  hangs (e.g. connected to something that never answers) cannot stall the wait. */
  probeTimeoutMs?: number;
}

/** `promise`, or a rejection after `ms`, or as soon as `abort()` reports a reason. */
async function within<T>(promise: Promise<T>, ms: number, what: string, abort?: () => string | undefined): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let poll: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    if (abort) poll = setInterval(() => abort() && reject(new Error(abort())), 50);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
    clearInterval(poll);
  }
}

/** Polls `probe` until it resolves to something other than `undefined`; probe errors count as "not yet". */
export async function waitFor<T>(probe: () => Promise<T | undefined>, opts: WaitOptions): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastError = '';
  for (;;) {
    const aborted = opts.abort?.();
    if (aborted) throw new Error(`${opts.what} did not become ready: ${aborted}${formatDetail(opts.detail)}`);
    try {
      const remaining = Math.max(1, deadline - Date.now());
      const value = await within(probe(), Math.min(opts.probeTimeoutMs ?? 10_000, remaining), 'the readiness probe', opts.abort);
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() >= deadline) {
      const last = lastError ? ` (last error: ${lastError})` : '';
      throw new Error(`${opts.what} was not ready after ${opts.timeoutMs} ms${last}${formatDetail(opts.detail)}`);
    }
    await sleep(opts.intervalMs ?? 200);
  }
}

function formatDetail(detail: (() => string) | undefined): string {
  const text = detail?.().trim();
  return text ? `\n${text}` : '';
}

/** Whether a start failure was a lost race for a port (bound by someone else after `freePort()`). */
export function isPortClash(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /Address already in use|BindException|could not bind/i.test(message);
}

/** Whether a process with this pid exists (on this machine's pid namespace). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: existence check only, nothing is sent
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Deletes temp dirs `<prefix><pid>-*` left behind by harness processes that died without
 * cleaning up (killed by a test timeout, SIGKILL): their owner pid no longer exists.
 */
export async function sweepStaleTempDirs(prefix: string): Promise<string[]> {
  const pattern = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\d+)-`);
  const removed: string[] = [];
  for (const name of await readdir(tmpdir())) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (!pid || pid === process.pid || isAlive(pid)) continue;
    const dir = join(tmpdir(), name);
    try {
      await rm(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // not ours to delete (another user's): leave it
    }
  }
  return removed;
}

/**
 * Runs `start(workDir)` in a fresh temp dir named `<prefix><pid>-XXXXXX` (after sweeping dirs of
 * dead harness processes). When the start fails the dir is deleted; when it failed because a port
 * was taken meanwhile, it runs again (new dir, new ports).
 */
export async function startInTempDir<T>(prefix: string, start: (workDir: string) => Promise<T>, attempts = 3): Promise<T> {
  await sweepStaleTempDirs(prefix);
  for (let attempt = 1; ; attempt++) {
    const workDir = await mkdtemp(join(tmpdir(), `${prefix}${process.pid}-`));
    try {
      return await start(workDir);
    } catch (error) {
      await rm(workDir, { recursive: true, force: true });
      if (attempt >= attempts || !isPortClash(error)) throw error;
    }
  }
}

/** The last `lines` lines of a text file ('' if it does not exist). */
export function tailFile(path: string, lines = 40): string {
  if (!existsSync(path)) return '';
  const all = readFileSync(path, 'utf8').trimEnd().split('\n');
  return all.slice(-lines).join('\n');
}

/** The absolute path of `command` on PATH, or undefined. */
export function findCommand(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Throws an actionable error when `command` is not on PATH; returns its path. */
export function requireCommand(command: string, installHint: string): string {
  const found = findCommand(command);
  if (!found) throw new Error(`'${command}' is not installed or not on PATH. ${installHint}`);
  return found;
}

export interface ServerSpec {
  /** Short name for messages ("kafka", "postgres"). */
  name: string;
  command: string;
  args: string[];
  /** stdout and stderr are appended here. */
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run as this system user (needs root; ignored when already running as that user). */
  user?: string;
  /** Signal for a clean stop and for the parent-death signal; default SIGTERM. */
  stopSignal?: NodeJS.Signals;
}

/** A running server process started by `spawnServer`. */
export interface ServerProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  /** `undefined` while running; the exit code / signal text once it has exited. */
  exited(): string | undefined;
  /** Sends the stop signal, waits up to `timeoutMs`, then SIGKILLs. Safe to call twice. */
  stop(timeoutMs?: number): Promise<void>;
  /**
   * A crash: SIGKILL now, no clean shutdown. Resolves once the process is gone and so are the children
   * it had at that moment (they are not signalled: they notice their parent's death on their own, as
   * PostgreSQL's backends do), or throws after `timeoutMs` naming those still alive.
   */
  kill(timeoutMs?: number): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Synchronous last resort: the test process is leaving, take our children with it.
  process.on('exit', () => {
    for (const child of live) {
      try {
        if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

/** Whether the current process is root (PostgreSQL refuses to run as root). */
export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * The argv that runs `command` under `setpriv`: the kernel sends `deathSignal` to it when this
 * process dies, and when `user` is given (and we are root) it runs as that user. setpriv execs
 * the target, so the child's pid is the command's own.
 */
function underSetpriv(command: string, args: string[], deathSignal: NodeJS.Signals, user?: string): string[] {
  const wrap = ['--pdeathsig', deathSignal.replace(/^SIG/, '')];
  if (user && isRoot()) wrap.push('--reuid', user, '--regid', user, '--init-groups');
  return ['setpriv', ...wrap, '--', command, ...args];
}

const SETPRIV_HINT = 'It is part of util-linux: apt-get install -y util-linux.';

/** Starts a server process, logging to `spec.logFile`, killed when this process exits. */
export function spawnServer(spec: ServerSpec): ServerProcess {
  requireCommand('setpriv', SETPRIV_HINT);
  installExitHook();
  const fd = openSync(spec.logFile, 'a');
  const [command, ...args] = underSetpriv(spec.command, spec.args, spec.stopSignal ?? 'SIGTERM', spec.user);
  let child: ChildProcess;
  try {
    child = spawn(command, args, {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  let exitText: string | undefined;
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitText = signal ? `${spec.name} was killed by ${signal}` : `${spec.name} exited with code ${code}`;
      live.delete(child);
      resolve();
    });
    child.once('error', (error) => {
      exitText = `${spec.name} could not be started: ${error.message}`;
      live.delete(child);
      resolve();
    });
  });
  if (child.pid === undefined) {
    // spawn failure is reported through 'error'; keep the object consistent
    exitText ??= `${spec.name} could not be started (${command} ${args.join(' ')})`;
  } else {
    live.add(child);
  }
  const stopSignal = spec.stopSignal ?? 'SIGTERM';
  return {
    pid: child.pid ?? -1,
    child,
    exited: () => exitText,
    async stop(timeoutMs = 30_000) {
      if (exitText === undefined && child.pid !== undefined) {
        child.kill(stopSignal);
        const timer = setTimeout(() => {
          if (exitText === undefined) child.kill('SIGKILL');
        }, timeoutMs);
        await exitedPromise;
        clearTimeout(timer);
      }
    },
    async kill(timeoutMs = 30_000) {
      if (exitText !== undefined || child.pid === undefined) return;
      const children = childPids(child.pid);
      child.kill('SIGKILL');
      await exitedPromise;
      const deadline = Date.now() + timeoutMs;
      for (let left = children; left.length > 0; left = left.filter(isRunning)) {
        if (Date.now() > deadline) throw new Error(`${spec.name} was killed, but its children ${left.join(', ')} still run after ${timeoutMs} ms`);
        await sleep(20);
      }
    },
  };
}

/** Whether a process exists and has not exited (a zombie waiting for its new parent to reap it has). */
function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The pids of a process's children (Linux: /proc/<pid>/task/<pid>/children); [] when unknown. */
function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export interface ManagedServerOptions {
  /** The process to run; called at every start (arguments may depend on the moment). */
  spec: () => ServerSpec;
  /** "Redis on 127.0.0.1:1234" — for messages. */
  what: string;
  /** Resolves (to anything but undefined) once the server serves; errors mean "not yet". */
  ready: () => Promise<unknown>;
  timeoutMs: number;
  intervalMs: number;
  /** How long a clean stop may take before SIGKILL. */
  stopTimeoutMs: number;
  /** Runs after every stop (and after a failed start). */
  afterStop?: (failedStart: boolean) => Promise<void>;
  /** The server's temp dir, deleted by destroy(). */
  workDir: string;
}

export interface ManagedServer {
  /** Spawns the server and waits until it is ready; a failed start stops it and throws with the log tail. */
  start(): Promise<void>;
  /** Stops the server if it runs (stop signal, then SIGKILL after the stop timeout). */
  stop(): Promise<void>;
  /** stop() then start(). */
  restart(): Promise<void>;
  /** A crash: SIGKILL, no clean shutdown, no afterStop (see ServerProcess.kill); start() brings it back. */
  kill(): Promise<void>;
  /** Stops the server for good and deletes `workDir`; a later start() fails with a clear message. */
  destroy(): Promise<void>;
}

/** What a started PostgreSQL or Redis offers its test. */
export interface StartedServer {
  host: string;
  port: number;
  /** The server log. */
  logFile: string;
  /** Stops the server and deletes its temp dir. Call it in `after()`. */
  stop(): Promise<void>;
  /** Stops the server only (fault tests); `restart()` starts it again. */
  stopServer(): Promise<void>;
  /** Stops (if running) and starts again on the same port with the same files. */
  restart(): Promise<void>;
  /** Kills the server hard (SIGKILL, as in a crash), keeping its files. */
  kill(): Promise<void>;
}

/** The `StartedServer` controls of a managed server. */
export function startedServer(host: string, port: number, logFile: string, server: ManagedServer): StartedServer {
  return { host, port, logFile, stopServer: server.stop, restart: server.restart, kill: server.kill, stop: server.destroy };
}

/** The start/stop/restart lifecycle of one server process. */
export function managedServer(opts: ManagedServerOptions): ManagedServer {
  let server: ServerProcess | undefined;
  let destroyed = false;
  const stop = async (): Promise<void> => {
    await server?.stop(opts.stopTimeoutMs);
    server = undefined;
    await opts.afterStop?.(false);
  };
  /** One attempt: spawn, wait until ready; on failure stop it and throw with the log tail. */
  const attempt = async (): Promise<void> => {
    const spec = opts.spec();
    const proc = spawnServer(spec);
    server = proc;
    try {
      await waitFor(async () => ((await opts.ready()) === undefined ? undefined : true), {
        what: opts.what,
        timeoutMs: opts.timeoutMs,
        intervalMs: opts.intervalMs,
        abort: proc.exited,
        detail: () => `--- tail of ${spec.logFile} ---\n${tailFile(spec.logFile, 30)}`,
      });
    } catch (error) {
      await proc.stop(5_000);
      server = undefined;
      await opts.afterStop?.(true);
      throw error;
    }
  };
  let startedOnce = false;
  const start = async (): Promise<void> => {
    if (destroyed) throw new Error(`${opts.what} was destroyed (its files are deleted): start a new server instead`);
    // A restart must keep its port: if a client socket holds it for a moment, wait and try again.
    // (A first start that loses its port is retried on new ports by startInTempDir.)
    for (let tries = startedOnce ? 6 : 1; ; tries--) {
      try {
        await attempt();
        startedOnce = true;
        return;
      } catch (error) {
        if (tries <= 1 || !isPortClash(error)) throw error;
        await sleep(500);
      }
    }
  };
  return {
    start,
    stop,
    async restart() {
      await stop();
      await start();
    },
    async kill() {
      await server?.kill(opts.stopTimeoutMs);
      server = undefined;
    },
    async destroy() {
      destroyed = true;
      await stop();
      await rm(opts.workDir, { recursive: true, force: true });
    },
  };
}

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a short command to completion (as `user` when root; killed if this process dies) and
 * throws with its output when it fails. For setup steps such as initdb, mvn and ScramUsers.
 */
export async function runTool(
  what: string,
  command: string,
  args: string[],
  opts: { user?: string; env?: NodeJS.ProcessEnv; cwd?: string; input?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  requireCommand('setpriv', SETPRIV_HINT);
  const argv = underSetpriv(command, args, 'SIGKILL', opts.user);
  const run = await execa(argv[0], argv.slice(1), {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    extendEnv: false,
    ...(opts.input === undefined ? { stdin: 'ignore' as const } : { input: opts.input }),
    timeout: opts.timeoutMs ?? 120_000,
    killSignal: 'SIGKILL',
    stripFinalNewline: false,
    reject: false,
  });
  const { stdout, stderr } = run;
  if (run.failed) {
    // Not started (e.g. ENOENT), killed (the timeout) or a non-zero exit.
    const status = run.exitCode === undefined ? (run.timedOut ? `timed out after ${opts.timeoutMs ?? 120_000} ms` : run.signal ?? run.code ?? 'not started') : `exit ${run.exitCode}`;
    const output = [stdout, stderr].flatMap((text) => (text.trim() ? text.trim().split('\n') : [])).slice(-30);
    throw new Error([`${what} failed (${status}): ${[command, ...args].join(' ')}`, ...output].join('\n'));
  }
  return { status: 0, stdout, stderr };
}
