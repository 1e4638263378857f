// The render daemon: a process per checkout that keeps the render's modules loaded and compiled between
// `npm run render`s, watches the render's inputs, and renders in memory as soon as one changes, so that the
// command that follows mostly has to write. It answers only what it can answer exactly as the command would:
// a render that succeeds, or "up to date". Anything else (a model problem, a Kafka guard's refusal, a failure)
// is a fallback, and the command renders by itself and reports it. What it writes is the command's own
// writer's output (render/render-pipeline.ts), and it records the render as the command does.
//
// Correctness rests on the same record of input states as the up-to-date check (render/last-render.ts): a
// render prepared ahead is written only while every input is still as it was before that render read it, and
// an edited module is re-imported with everything that imports it (./module-versions.ts). A change the daemon
// cannot take in (its own code under scripts/, the installed packages, Node) makes it stop.
import { appendFileSync, existsSync, mkdirSync, rmSync, statSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import type * as LastRender from '../../../render/last-render.ts';
import type * as Pipeline from '../../../render/render-pipeline.ts';
import type * as Sources from '../../../render/sources.ts';
import type * as Inputs from '../../../render/inputs.ts';
import type * as Today from '../../../model/today.ts';
import { RENDER_OPTIONS, renderedMessage, upToDateMessage } from '../render-io.ts';
import type { ModuleVersions } from './module-versions.ts';
import type { DaemonPlace } from './place.ts';
import type { DaemonReply, DaemonRequest } from './protocol.ts';

/** The daemon stops after this long without a request. */
export const IDLE_MS = 30 * 60_000;
/** The log is emptied when a daemon starts and finds it larger. */
const MAX_LOG_BYTES = 1_000_000;
/** How long after the last change to an input it renders ahead (an editor's save is often several writes). */
const SETTLE_MS = 10;
/** Modules loaded anew (about 230 when every module is), and heap in use, past which the daemon stops: old versions stay in memory. */
const MAX_RENEWED = 5_000;
const MAX_HEAP_BYTES = 1_500_000_000;
const CANNOT_RELOAD = 'its own code (scripts/) or the installed packages changed, or it holds too many old modules';
/** The daemon's own code: a change here is one it cannot take in. */
const OWN_CODE = ['scripts'];

interface Modules {
  lastRender: typeof LastRender;
  pipeline: typeof Pipeline;
  sources: typeof Sources;
  inputs: typeof Inputs;
}

/** What to render: the environments as asked (undefined: all) and the date. */
interface RenderKey {
  envs: string[] | undefined;
  today: string;
}

interface Prepared {
  key: string;
  /** The inputs (and the daemon's own code) as they were before this render read them. */
  states: LastRender.PathStates;
  render: Pipeline.PreparedRender;
  /** The modules that rendered it, which write and record it. */
  modules: Modules;
}

const keyText = (key: RenderKey) => `${key.envs?.join(',') ?? '(all)'} ${key.today}`;

export class RenderDaemon {
  private readonly repoRoot: string;
  private readonly place: DaemonPlace;
  private readonly versions: ModuleVersions;
  private server: Server | undefined;
  /** Folder (as the states name it) → its watcher. */
  private readonly watchers = new Map<string, FSWatcher>();
  /** The inputs as they were when the loaded modules were imported. */
  private loadedStates: LastRender.PathStates | undefined;
  private prepared: Prepared | undefined;
  /** What the daemon last wrote under rendered/ (per environment) and the state it left there, while it is the last writer. */
  private lastWrite: { key: string; known: Map<string, ReadonlyMap<string, string>>; outputs: LastRender.PathStates } | undefined;
  /** The one thing the daemon does at a time (a request, or a render ahead): each waits for the one before. */
  private queue: Promise<unknown> = Promise.resolve();
  /** What the last request asked for (its date is renewed for each render ahead). */
  private lastKey: RenderKey | undefined;
  private settleTimer: NodeJS.Timeout | undefined;
  /** What is left of the request being answered once its reply is sent. */
  private afterReply: (() => void) | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(repoRoot: string, place: DaemonPlace, versions: ModuleVersions) {
    this.repoRoot = repoRoot;
    this.place = place;
    this.versions = versions;
  }

  /** Listen on the checkout's socket; false when another daemon already does. */
  async listen(): Promise<boolean> {
    mkdirSync(dirname(this.place.socket), { recursive: true });
    if (existsSync(this.place.socket)) {
      if (await answers(this.place.socket)) return false;
      rmSync(this.place.socket, { force: true }); // left by a daemon that died
    }
    const server = createServer((socket) => this.accept(socket));
    const listening = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(this.place.socket, () => resolve(true));
    });
    if (!listening) return false;
    this.server = server;
    writeFileSync(this.place.pidFile, String(process.pid));
    // One log across the checkout's daemons (a command may start the next while one reads it); kept under a size.
    if ((statSync(this.place.log, { throwIfNoEntry: false })?.size ?? 0) > MAX_LOG_BYTES) writeFileSync(this.place.log, '');
    this.log(`started (pid ${process.pid}, Node ${process.version})`);
    this.touch();
    return true;
  }

  private accept(socket: Socket): void {
    let data = '';
    socket.setEncoding('utf8');
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      data += chunk;
      const end = data.indexOf('\n');
      if (end < 0) return;
      let message: DaemonRequest;
      try {
        message = JSON.parse(data.slice(0, end)) as DaemonRequest;
      } catch {
        // A command of another version of the daemon's code: it cannot serve it, and stops.
        this.log('a request it cannot read; the daemon stops');
        socket.end();
        this.stop();
        return;
      }
      this.touch();
      void this.enqueue(async () => {
        const reply = await this.answer(message);
        // Stopping waits for the reply to be written: the command must not take an exit for a silence.
        socket.end(`${JSON.stringify(reply)}\n`, () => {
          if (reply.status === 'stopping' || this.stopping) this.stop();
        });
        const after = this.afterReply;
        this.afterReply = undefined;
        after?.();
      });
    });
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => {});
    return next;
  }

  private async answer(message: DaemonRequest): Promise<DaemonReply> {
    if (message.kind === 'stop') {
      this.log('stop requested');
      return { status: 'stopping' };
    }
    const start = performance.now();
    const reply = await this.render(message).catch((error: Error): DaemonReply => ({ status: 'fallback', reason: `the daemon failed: ${error.message.split('\n')[0]}` }));
    const took = `${(performance.now() - start).toFixed(0)} ms`;
    this.log(reply.status === 'done' ? `served in ${took}: ${reply.stdout.trim()}` : `fallback: ${reply.status === 'fallback' ? reply.reason : reply.status}`);
    return reply;
  }

  private async render(message: Extract<DaemonRequest, { kind: 'render' }>): Promise<DaemonReply> {
    if (message.node !== process.version) return this.fallbackAndStop(`the command runs Node ${message.node}, the daemon ${process.version}`);
    let values;
    try {
      ({ values } = parseArgs({ args: message.argv, options: RENDER_OPTIONS, strict: true }));
    } catch {
      return { status: 'fallback', reason: 'arguments for the command itself' };
    }
    if (values.check || values['no-daemon'] || values['stop-daemon']) return { status: 'fallback', reason: 'arguments for the command itself' };
    const key: RenderKey = { envs: values.env, today: message.today };
    this.lastKey = key;
    // A render prepared ahead whose inputs are all as they were is the render; otherwise the modules catch up first.
    let prepared = this.prepared;
    if (prepared && (prepared.key !== keyText(key) || prepared.modules.lastRender.changedPaths(this.repoRoot, prepared.states, 1).length > 0)) prepared = undefined;
    const modules = prepared?.modules ?? (await this.modules());
    if (modules === 'stop') return this.fallbackAndStop(CANNOT_RELOAD);
    const known = modules.sources.environmentNames();
    const envs = key.envs ?? known;
    if (envs.some((env) => !known.includes(env))) return { status: 'fallback', reason: 'an unknown environment, which the command reports' };
    const recordKey = { repoRoot: this.repoRoot, envs: key.envs, today: key.today };
    if (!values.force) {
      const summary = modules.lastRender.upToDate(recordKey);
      if (summary) return { status: 'done', code: 0, stdout: upToDateMessage(summary) };
    }
    if (!prepared) {
      const fresh = await this.prepare(key);
      if (fresh === 'stop') return this.fallbackAndStop(CANNOT_RELOAD);
      if (fresh === 'failed') return { status: 'fallback', reason: 'the render failed, which the command reports' };
      prepared = fresh;
    }
    const renderedDir = join(this.repoRoot, 'rendered');
    const { lastRender, pipeline } = prepared.modules;
    lastRender.forgetRender(this.repoRoot);
    // rendered/ as the daemon last wrote it, when nothing there changed since: compared in memory, not read again.
    const last = this.lastWrite;
    const unchangedOutputs = last?.key === keyText(key) && lastRender.changedPaths(this.repoRoot, last.outputs, 1).length === 0 ? last.known : undefined;
    this.lastWrite = undefined;
    let result;
    try {
      result = await pipeline.writePrepared({ envs, repoRoot: this.repoRoot, renderedDir, load: { today: key.today } }, prepared.render, unchangedOutputs);
    } catch {
      return { status: 'fallback', reason: 'writing the render failed (a Kafka guard or the disk), which the command reports' };
    }
    const written = result;
    const done = prepared;
    // Recorded once the reply is on its way (the queue holds the next request until then); without a record the
    // next run renders in full, as after the command's own render when recording fails.
    this.afterReply = () => {
      try {
        const recorded = lastRender.recordRender(recordKey, withoutOwnCode(done.states), written.outputs!, written.files);
        if (recorded) {
          const outputs = filterStates(recorded, (path) => path.startsWith('rendered/'));
          this.lastWrite = { key: keyText(key), known: new Map(done.render.environments.map((e) => [e.env, e.files])), outputs };
        }
      } catch {
        // as the command: the next run renders in full
      }
    };
    return { status: 'done', code: 0, stdout: renderedMessage(result.files, result.unchanged) };
  }

  private fallbackAndStop(reason: string): DaemonReply {
    this.stopping = true;
    return { status: 'fallback', reason: `${reason}; the daemon stops`, stopping: true };
  }

  /**
   * The render's modules as the inputs are `now` (default: as they are on disk): whatever changed since they were
   * imported is imported anew, a module with its importers, anything else with every module (any may have read
   * it). 'stop' when that cannot be done.
   */
  private async modules(now?: LastRender.PathStates): Promise<Modules | 'stop'> {
    if (this.loadedStates) {
      const lastRender = await this.import<typeof LastRender>('render/last-render.ts');
      const before = this.loadedStates;
      const after = now ?? lastRender.snapshotInputs(this.repoRoot, Date.now(), OWN_CODE);
      // Files no longer as they were when the modules loaded (compared with the disk, hashes included), and files
      // added since; a folder's own change is the change of a file in it. A change racing this check shows next time.
      const added = Object.keys(after.files).filter((path) => !(path in before.files));
      const changed = [...lastRender.changedPaths(this.repoRoot, before).filter((path) => !(path in before.folders)), ...added];
      if (changed.length > 0) {
        const packages: readonly string[] = (await this.import<typeof Inputs>('render/inputs.ts')).RENDER_PACKAGE_FILES;
        if (changed.some((path) => isOwnCode(path) || packages.includes(path))) return 'stop';
        const absolute = (path: string) => (path.startsWith('/') ? path : join(this.repoRoot, path));
        const modules = changed.map(absolute).filter((path) => this.versions.isModule(path));
        // A file no module imports: a new .ts file (a renewed module that imports it loads it), or data that
        // any module may have read (a migration, the control catalog): then every module is loaded anew.
        const data = changed.filter((path) => !this.versions.isModule(absolute(path)) && !path.endsWith('.ts'));
        const count = data.length > 0 ? this.versions.renew(this.versions.modules()) : modules.length > 0 ? this.versions.renew(modules) : 0;
        if (this.versions.renewed > MAX_RENEWED || process.memoryUsage().heapUsed > MAX_HEAP_BYTES) return 'stop';
        if (count > 0) this.log(`${count} modules to reload after a change to ${changed.slice(0, 3).join(', ')}${changed.length > 3 ? ` and ${changed.length - 3} more` : ''}`);
      }
      this.loadedStates = after;
      this.watchFolders(after);
    }
    else {
      // The first import: the inputs' state is taken before the render's modules read them.
      this.loadedStates = now ?? (await this.import<typeof LastRender>('render/last-render.ts')).snapshotInputs(this.repoRoot, Date.now(), OWN_CODE);
    }
    const [lastRender, pipeline, sources, inputs] = await Promise.all([
      this.import<typeof LastRender>('render/last-render.ts'),
      this.import<typeof Pipeline>('render/render-pipeline.ts'),
      this.import<typeof Sources>('render/sources.ts'),
      this.import<typeof Inputs>('render/inputs.ts'),
    ]);
    return { lastRender, pipeline, sources, inputs };
  }

  private import<T>(path: string): Promise<T> {
    return this.versions.import<T>(join(this.repoRoot, path));
  }

  /** Render `key` in memory; 'failed' when the render throws (the command will report it). */
  private async prepare(key: RenderKey): Promise<Prepared | 'failed' | 'stop'> {
    this.prepared = undefined;
    // The inputs' state before this render reads them; the modules are brought to it first.
    const lastRender = await this.import<typeof LastRender>('render/last-render.ts');
    const states = lastRender.snapshotInputs(this.repoRoot, Date.now(), OWN_CODE);
    let modules;
    try {
      // A module that fails to load (a syntax error, a file removed) stays failed until it changes again.
      modules = await this.modules(states);
    } catch {
      return 'failed';
    }
    if (modules === 'stop') return 'stop';
    try {
      const envs = key.envs ?? modules.sources.environmentNames();
      const start = performance.now();
      const render = modules.pipeline.prepareRender({ envs, load: { today: key.today } });
      this.log(`rendered ahead in ${(performance.now() - start).toFixed(0)} ms`);
      this.prepared = { key: keyText(key), states, render, modules };
      return this.prepared;
    } catch {
      return 'failed';
    }
  }

  /** Watch every folder of the render's inputs (a watch per folder: a file replaced by a rename is seen, too). */
  private watchFolders(states: LastRender.PathStates): void {
    const folders = new Set(Object.keys(states.folders).filter((path) => !isOwnCode(path)));
    for (const [path, watcher] of this.watchers) {
      if (folders.has(path)) continue;
      watcher.close();
      this.watchers.delete(path);
    }
    for (const path of folders) {
      if (this.watchers.has(path)) continue;
      try {
        const watcher = watch(path.startsWith('/') ? path : join(this.repoRoot, path), { persistent: false }, () => this.changed());
        watcher.on('error', () => {});
        this.watchers.set(path, watcher);
      } catch {
        // gone meanwhile: the next snapshot drops it
      }
    }
  }

  /** Load the render's modules and watch its inputs; a change renders ahead, once the writes settle. */
  async start(): Promise<void> {
    const modules = await this.modules().catch((error: Error) => {
      this.log(`the render's modules do not load (${error.message.split('\n')[0]}); the daemon stops`);
      return 'stop' as const;
    });
    if (modules === 'stop') return this.stop();
    this.watchFolders(this.loadedStates!);
  }

  private changed(): void {
    if (this.stopping) return;
    if (!existsSync(join(this.repoRoot, 'package.json'))) return this.stop(); // the checkout is gone
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => {
      void this.enqueue(async () => {
        const { utcToday } = await this.import<typeof Today>('model/today.ts');
        const prepared = await this.prepare({ envs: this.lastKey?.envs, today: utcToday() });
        if (prepared === 'stop') {
          this.log(`${CANNOT_RELOAD}; the daemon stops`);
          this.stop();
        }
      }).catch((error: Error) => this.log(`rendering ahead failed: ${error.message.split('\n')[0]}`));
    }, SETTLE_MS);
  }

  private touch(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.log(`idle for ${IDLE_MS / 60_000} minutes`);
      this.stop();
    }, IDLE_MS);
  }

  stop(): void {
    if (this.server === undefined) return;
    this.log('stopped');
    for (const watcher of this.watchers.values()) watcher.close();
    clearTimeout(this.settleTimer);
    clearTimeout(this.idleTimer);
    this.server.close();
    this.server = undefined;
    rmSync(this.place.socket, { force: true });
    rmSync(this.place.pidFile, { force: true });
    process.exit(0);
  }

  private log(line: string): void {
    try {
      appendFileSync(this.place.log, `${new Date().toISOString()} ${line}\n`);
    } catch {
      // a log that cannot be written is no reason to stop
    }
  }
}

const isOwnCode = (path: string) => OWN_CODE.some((own) => path === own || path.startsWith(`${own}/`));

/** The states of the paths that `keep` accepts. */
function filterStates(states: LastRender.PathStates, keep: (path: string, entry: LastRender.PathStates['files'][string]) => boolean): LastRender.PathStates {
  return {
    files: Object.fromEntries(Object.entries(states.files).filter(([path, entry]) => keep(path, entry))),
    folders: Object.fromEntries(Object.entries(states.folders).filter(([path, entry]) => keep(path, entry))),
  };
}

/** The states without the daemon's own code, as the command records them. */
const withoutOwnCode = (states: LastRender.PathStates) => filterStates(states, (path) => !isOwnCode(path));

/** Whether a daemon answers on `socket`. */
function answers(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(socket);
    probe.on('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.on('error', () => resolve(false));
  });
}
