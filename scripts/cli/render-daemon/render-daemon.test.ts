// The render daemon on a scratch copy of the checkout: every render it serves must be the render the command
// would write by itself (render --check, which never asks a daemon, passes on it), whatever changed: the model, a
// generator, a migration; anything else goes back to the command, and a change to its own code stops it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { scratchCheckout } from '../../../render/testdata/scratch-checkout.ts';
import { listFiles } from '../../../render/tree-writer.ts';
import { request } from './client.ts';
import { type DaemonPlace, daemonPlace, daemonWanted } from './place.ts';

const node = process.execPath;
// node --test sets NODE_TEST_CONTEXT, which turns daemons off: these tests turn them on.
const withDaemon = { ...process.env, GAMEMETRICS_RENDER_DAEMON: '1' };

describe('whether a run may use a render daemon', () => {
  test('yes by default; not in CI or under node --test; GAMEMETRICS_RENDER_DAEMON decides over both', () => {
    assert.equal(daemonWanted({}), true);
    assert.equal(daemonWanted({ CI: 'true' }), false);
    assert.equal(daemonWanted({ CI: 'false' }), true);
    assert.equal(daemonWanted({ NODE_TEST_CONTEXT: 'child-v8' }), false);
    assert.equal(daemonWanted({ CI: 'true', GAMEMETRICS_RENDER_DAEMON: '1' }), true);
    assert.equal(daemonWanted({ GAMEMETRICS_RENDER_DAEMON: '0' }), false);
  });
});

describe('the render daemon', () => {
  let dir: string;
  let place: DaemonPlace;
  let generatorReload = 0;
  const render = (...args: string[]) => spawnSync(node, ['--min-semi-space-size=64', join(dir, 'scripts/render.ts'), ...args], { cwd: dir, encoding: 'utf8', env: withDaemon });
  const log = () => (existsSync(place.log) ? readFileSync(place.log, 'utf8') : '');
  /** The daemon's log lines written while `action` ran. */
  const logged = <T>(action: () => T): { result: T; lines: string[] } => {
    const before = log().length;
    const result = action();
    return { result, lines: log().slice(before).split('\n').filter(Boolean) };
  };
  const edit = (file: string, find: string, replace: string) => {
    const path = join(dir, file);
    const source = readFileSync(path, 'utf8');
    assert.ok(source.includes(find), `${file} no longer holds ${find}`);
    writeFileSync(path, source.replace(find, replace));
  };
  const output = () => new Map(['rendered', 'docs'].flatMap((folder) => listFiles(join(dir, folder)).map((p) => [`${folder}/${p}`, readFileSync(join(dir, folder, p), 'utf8')] as const)));
  /** The command's own render (no daemon) finds rendered/ and docs/ exactly as the daemon left them. */
  const sameAsTheCommand = () => {
    const check = render('--check');
    assert.equal(check.status, 0, `${check.stdout}${check.stderr}`);
  };
  const waitForDaemon = async () => {
    for (let i = 0; i < 600 && !(await request(place, { kind: 'render', argv: ['--check'], today: '', node: process.version }, 5_000)); i++) await sleep(100);
  };

  before(async () => {
    dir = scratchCheckout('gm-daemon-');
    place = daemonPlace(dir)!;
    assert.ok(place, 'the scratch checkout is too deep for a socket');
    const first = render('--force');
    assert.equal(first.status, 0, first.stderr);
    await waitForDaemon();
    assert.match(log(), /started \(pid \d+/);
  });
  after(() => {
    render('--stop-daemon');
    // The scratch checkout links the repository's node_modules: its daemon's log lives there.
    rmSync(place.log, { force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  test('nothing changed: the daemon answers "up to date"', () => {
    const { result, lines } = logged(() => render());
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^rendered\/ is up to date/, `${result.stdout}\n${lines.join('\n')}`);
    assert.ok(lines.some((line) => /served in \d+ ms: rendered\/ is up to date/.test(line)), lines.join('\n'));
  });

  test('a value edited in a tenant file: the daemon renders it, as the command would', () => {
    edit('model/tenants/gamemetrics.ts', "MAX_BATCH_EVENTS: '500'", "MAX_BATCH_EVENTS: '400'");
    const { result, lines } = logged(() => render());
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^rendered \d+ files: dev \d+, staging \d+, prod \d+\n$/, `${result.stdout}\n${lines.join('\n')}`);
    assert.ok(lines.some((line) => /served in \d+ ms: rendered \d+ files/.test(line)), lines.join('\n'));
    const config = readFileSync(join(dir, 'rendered/prod/tenants/gamemetrics/gamemetrics/configmap-event-ingestion-config.yaml'), 'utf8');
    assert.match(config, /MAX_BATCH_EVENTS: "400"/);
    sameAsTheCommand();
  });

  test('rendered/ edited by hand between two renders: the daemon does not trust what it wrote last, and restores it', () => {
    const config = join(dir, 'rendered/prod/tenants/gamemetrics/gamemetrics/configmap-event-ingestion-config.yaml');
    const extra = join(dir, 'rendered/prod/hand-made.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('MAX_BATCH_EVENTS: "400"', 'MAX_BATCH_EVENTS: "1"'));
    writeFileSync(extra, 'kind: ConfigMap\n');
    // A file the model edit does not touch: only reading it again shows it differs.
    const untouched = join(dir, 'rendered/prod', listFiles(join(dir, 'rendered/prod')).find((p) => p.startsWith('platform/namespaces/'))!);
    const untouchedContent = readFileSync(untouched, 'utf8');
    writeFileSync(untouched, `${untouchedContent}# edited by hand\n`);
    edit('model/tenants/gamemetrics.ts', "MAX_BATCH_EVENTS: '400'", "MAX_BATCH_EVENTS: '450'");
    const { result, lines } = logged(() => render());
    assert.equal(result.status, 0, result.stderr);
    assert.ok(lines.some((line) => /served in/.test(line)), lines.join('\n'));
    assert.match(readFileSync(config, 'utf8'), /MAX_BATCH_EVENTS: "450"/);
    assert.equal(existsSync(extra), false);
    assert.equal(readFileSync(untouched, 'utf8'), untouchedContent);
    sameAsTheCommand();
    edit('model/tenants/gamemetrics.ts', "MAX_BATCH_EVENTS: '450'", "MAX_BATCH_EVENTS: '400'");
    assert.equal(render().status, 0);
  });

  test('a generator edited: it and what imports it are loaded anew, the rest stays', () => {
    edit('generators/storage/storage-classes.ts', "volumeBindingMode: 'WaitForFirstConsumer'", "volumeBindingMode: 'Immediate'");
    const { result, lines } = logged(() => render());
    assert.equal(result.status, 0, result.stderr);
    assert.ok(lines.some((line) => /served in/.test(line)), lines.join('\n'));
    const reload = lines.map((line) => / (\d+) modules to reload after a change to generators\/storage\/storage-classes\.ts$/.exec(line)).find(Boolean);
    assert.ok(reload, lines.join('\n'));
    generatorReload = Number(reload[1]);
    const classes = listFiles(join(dir, 'rendered/prod')).filter((p) => p.includes('storageclass-'));
    assert.ok(classes.length >= 3, classes.join(', '));
    for (const path of classes) assert.match(readFileSync(join(dir, 'rendered/prod', path), 'utf8'), /volumeBindingMode: Immediate/, path);
    sameAsTheCommand();
  });

  test('a migration added (a data file no module imports): every module is loaded anew', () => {
    writeFileSync(join(dir, 'migrations/timescaledb/0099_daemon_test.sql'), 'CREATE TABLE daemon_test (id integer);\n');
    const { result, lines } = logged(() => render());
    assert.equal(result.status, 0, result.stderr);
    assert.ok(lines.some((line) => /served in/.test(line)), lines.join('\n'));
    assert.match(readFileSync(join(dir, 'rendered/dev/tenants/gamemetrics/gamemetrics/configmap-timescaledb-migrations.yaml'), 'utf8'), /0099_daemon_test\.sql/);
    const everything = lines.map((line) => / (\d+) modules to reload after a change to migrations\/timescaledb\/0099_daemon_test\.sql$/.exec(line)).find(Boolean);
    assert.ok(everything, lines.join('\n'));
    // The generator's change reloaded it and its importers only: far fewer than every module.
    assert.ok(generatorReload > 0 && generatorReload * 4 < Number(everything[1]), `${generatorReload} of ${everything[1]}`);
    sameAsTheCommand();
  });

  test('a model problem: the command reports it with the file and line, nothing is written, and the daemon serves the fix', () => {
    const before = output();
    edit('model/tenants/gamemetrics.ts', "MAX_BATCH_EVENTS: '400'", 'MAX_BATCH_EVENTS: 400');
    const broken = logged(() => render());
    assert.equal(broken.result.status, 1, broken.result.stdout);
    assert.match(broken.result.stderr, /model\/tenants\/gamemetrics\.ts:\d+/);
    assert.ok(broken.lines.some((line) => /fallback: the render failed/.test(line)), broken.lines.join('\n'));
    assert.deepEqual(output(), before);
    edit('model/tenants/gamemetrics.ts', 'MAX_BATCH_EVENTS: 400', "MAX_BATCH_EVENTS: '500'");
    const fixed = logged(() => render());
    assert.equal(fixed.result.status, 0, fixed.result.stderr);
    assert.ok(fixed.lines.some((line) => /served in \d+ ms: rendered/.test(line)), fixed.lines.join('\n'));
    sameAsTheCommand();
  });

  test('a module removed and put back: the command reports the missing file, and the same daemon serves again', () => {
    const pid = readFileSync(place.pidFile, 'utf8');
    const file = join(dir, 'generators/storage/storage-classes.ts');
    const source = readFileSync(file, 'utf8');
    rmSync(file);
    const broken = logged(() => render());
    assert.equal(broken.result.status, 1, broken.result.stdout);
    assert.match(broken.result.stderr, /storage-classes\.ts/);
    assert.ok(broken.lines.some((line) => /fallback: /.test(line)), broken.lines.join('\n'));
    writeFileSync(file, source);
    const fixed = logged(() => render());
    assert.equal(fixed.result.status, 0, fixed.result.stderr);
    assert.ok(fixed.lines.some((line) => /served in \d+ ms/.test(line)), fixed.lines.join('\n'));
    assert.equal(readFileSync(place.pidFile, 'utf8'), pid);
    sameAsTheCommand();
  });

  test('--check, --help, --no-daemon and --stop-daemon with more never reach the daemon; an unknown environment goes back to the command', () => {
    for (const args of [['--check'], ['--help'], ['--no-daemon'], ['--stop-daemon', '--force']]) {
      const { result, lines } = logged(() => render(...args));
      assert.deepEqual(lines, [], `${args.join(' ')}: ${lines.join('\n')}`);
      assert.equal(result.status, args[0] === '--stop-daemon' ? 2 : 0, `${args.join(' ')}: ${result.stderr}`);
    }
    const unknown = logged(() => render('--env', 'nowhere'));
    assert.equal(unknown.result.status, 2);
    assert.match(unknown.result.stderr, /render: unknown environment "nowhere"/);
    assert.ok(unknown.lines.every((line) => /fallback: an unknown environment/.test(line)), unknown.lines.join('\n'));
  });

  test('a change to its own code: the daemon stops, the command renders and starts a new one', async () => {
    const pid = readFileSync(place.pidFile, 'utf8');
    edit('scripts/cli/render-io.ts', '--force renders anyway', '--force renders anyway ');
    edit('model/tenants/gamemetrics.ts', "MAX_BATCH_EVENTS: '500'", "MAX_BATCH_EVENTS: '300'");
    const { result, lines } = logged(() => render());
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^rendered \d+ files/);
    assert.ok(lines.some((line) => /its own code \(scripts\/\) or the installed packages changed.*; the daemon stops/.test(line)), lines.join('\n'));
    sameAsTheCommand();
    await waitForDaemon();
    assert.notEqual(readFileSync(place.pidFile, 'utf8'), pid);
  });

  test('a command on another Node: the daemon hands the render back and stops, and the command starts a new one', async () => {
    const pid = readFileSync(place.pidFile, 'utf8');
    const reply = await request(place, { kind: 'render', argv: [], today: '2026-11-30', node: 'v0.0.0' });
    assert.deepEqual(reply && { status: reply.status, stopping: 'stopping' in reply && reply.stopping }, { status: 'fallback', stopping: true });
    assert.match(log(), /fallback: the command runs Node v0\.0\.0, the daemon v\d+.*; the daemon stops/);
    const result = render('--force');
    assert.equal(result.status, 0, result.stderr);
    await waitForDaemon();
    assert.notEqual(readFileSync(place.pidFile, 'utf8'), pid);
  });

  test('--stop-daemon stops it', () => {
    const stopped = render('--stop-daemon');
    assert.equal(stopped.status, 0, stopped.stderr);
    assert.equal(stopped.stdout, 'render daemon stopped\n');
    assert.equal(existsSync(place.socket), false);
    assert.equal(render('--stop-daemon').stdout, 'no render daemon was running\n');
  });
});
