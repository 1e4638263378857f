// Proof on a real Redis that the dev environment's RENDERED Redis objects give every service exactly the
// access its `access` declares: the chart values' projected volume and `include` line, filled with each
// client's ExternalSecret template (the password made up here, hashed as the template says), are loaded
// by a real redis-server; every service then logs in with the user name its Secret carries and tries the
// commands of both access levels and the dangerous ones. A service without the datastore has no user.
// The rendered acl-sync sidecar's script, run against the same server, applies a rotated password while
// the server runs. A changed `access` in a copy of the model, rendered and loaded again, moves the matrix
// with it, and the old rules no longer match the new model.
//
// Not run here: External Secrets' template engine (the one template expression, the password's sha256sum,
// is evaluated by `fillTemplate`, which refuses any other), the Bitnami chart's start scripts, Sentinel, the
// kubelet's refresh of the projected volume (the test writes the file itself).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { parse } from 'yaml';
import type { LoadedModel } from '../../model/loaded.ts';
import { platform } from '../../model/platform.ts';
import type { PlatformSpec } from '../../model/spec.ts';
import { renderAll } from '../../render/render.ts';
import { waitFor } from './process.ts';
import { startRedis, type RedisServer } from './redis.ts';

const STORE = 'redis';
const PROBES = ['get', 'set', 'publish', 'subscribe', 'eval', 'multi', 'flushall', 'config', 'keys'] as const;
type Probe = (typeof PROBES)[number];
type Outcome = Record<'connect' | Probe, boolean>;
interface Row { service: string; outcome: Outcome }
type Obj = Record<string, any>;

/** What the rendered files say: the include directory, each loaded file's rendered template, and each user's name. */
interface RenderedAcl {
  includeDir: string;
  /** File name in the include directory → the ExternalSecret template of its content. */
  files: Map<string, string>;
  /** Secret name → the user name its template carries. */
  usernames: Map<string, string>;
}

function renderedAcl(files: ReadonlyMap<string, string>): RenderedAcl {
  const app = parse([...files].find(([p]) => p.endsWith(`/application-dev-${STORE}.yaml`))![1]) as Obj;
  const values = app.spec.source.helm.valuesObject;
  const include = (values.commonConfiguration as string).split('\n').find((l) => l.startsWith('include '));
  assert.ok(include, 'the rendered Redis values include the ACL users directory');
  const includeDir = include.slice('include '.length).replace(/\/\*\.conf$/, '');
  const externalSecrets = new Map<string, Obj>();
  for (const [path, text] of files) {
    if (path.includes('/externalsecret-')) {
      const es = parse(text) as Obj;
      if (es.metadata.namespace === app.spec.destination.namespace) externalSecrets.set(es.metadata.name, es);
    }
  }
  const volume = values.master.extraVolumes.find((v: Obj) => v.name === 'acl-users');
  const mount = values.master.extraVolumeMounts.find((m: Obj) => m.name === 'acl-users');
  assert.equal(mount.mountPath, includeDir, 'the volume is mounted where redis.conf includes from');
  const out: RenderedAcl = { includeDir, files: new Map(), usernames: new Map() };
  for (const { secret } of volume.projected.sources) {
    const es = externalSecrets.get(secret.name);
    assert.ok(es, `the projected Secret ${secret.name} is made by an ExternalSecret in the datastore's namespace`);
    for (const item of secret.items) out.files.set(item.path, es.spec.target.template.data[item.key]);
    out.usernames.set(secret.name, es.spec.target.template.data.username);
  }
  return out;
}

/** The one template expression the ACL lines use, with `password`; anything else fails the test. */
function fillTemplate(template: string, password: string): string {
  const filled = template.replace(/\{\{ \.password \| sha256sum \}\}/g, createHash('sha256').update(password).digest('hex'));
  if (filled.includes('{{')) throw new Error(`unexpected template expression in ${JSON.stringify(template)}: extend fillTemplate`);
  return filled;
}

/** Writes the ACL files into `dir` with a made-up password per user; returns user name → password. */
async function writeAclFiles(acl: RenderedAcl, dir: string): Promise<Map<string, string>> {
  const passwords = new Map<string, string>();
  for (const [file, template] of acl.files) {
    const user = /^user (\S+) /.exec(template)![1];
    const password = randomBytes(12).toString('hex');
    passwords.set(user, password);
    await writeFile(join(dir, file), `${fillTemplate(template, password)}\n`);
  }
  return passwords;
}

async function attempt(run: () => Promise<unknown>): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (e) {
    if (!/NOPERM/.test(String((e as Error).message))) throw e; // only an ACL refusal counts as refused
    return false;
  }
}

function client(server: RedisServer, username: string, password: string): Redis {
  const c = new Redis({ host: server.host, port: server.port, username, password, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  c.on('error', () => undefined);
  return c;
}

async function probe(server: RedisServer, username: string, password: string): Promise<Outcome> {
  const outcome = Object.fromEntries(['connect', ...PROBES].map((p) => [p, false])) as Outcome;
  const c = client(server, username, password);
  try {
    await c.connect(); // AUTH, then INFO: ioredis' ready check
  } catch {
    c.disconnect();
    return outcome;
  }
  outcome.connect = true;
  const key = `acl-probe:${username}`;
  try {
    outcome.get = await attempt(() => c.get(key));
    outcome.set = await attempt(() => c.set(key, '1'));
    outcome.publish = await attempt(() => c.publish('acl-probe', 'x'));
    outcome.eval = await attempt(() => c.eval("return redis.call('INCR', KEYS[1])", 1, key));
    outcome.multi = await attempt(async () => {
      await c.call('MULTI');
      await c.call('INCR', key).catch(() => undefined);
      const result = await c.call('EXEC');
      if (!Array.isArray(result)) throw new Error('EXEC returned no results');
    });
    await c.call('DISCARD').catch(() => undefined);
    outcome.flushall = await attempt(() => c.flushall());
    outcome.config = await attempt(() => c.config('GET', 'maxmemory'));
    outcome.keys = await attempt(() => c.keys('*'));
  } finally {
    c.disconnect();
  }
  const sub = client(server, username, password);
  try {
    await sub.connect();
    outcome.subscribe = await attempt(() => sub.subscribe('acl-probe'));
  } finally {
    sub.disconnect();
  }
  return outcome;
}

/** The user name and password each service would log in with: its Secret's, or a made-up one. */
async function matrix(server: RedisServer, model: LoadedModel, acl: RenderedAcl, passwords: Map<string, string>): Promise<Row[]> {
  const rows: Row[] = [];
  for (const service of model.services.map((s) => s.name)) {
    const username = acl.usernames.get(`${service}-${STORE}`) ?? service;
    rows.push({ service, outcome: await probe(server, username, passwords.get(username) ?? 'no-such-password') });
  }
  return rows;
}

function expected(model: LoadedModel): Map<string, Outcome> {
  const clients = model.datastores.find((d) => d.name === STORE)!.clients;
  return new Map(model.services.map((s) => {
    const access = clients.find((c) => c.service === s.name)?.access;
    const write = access === 'read-write';
    return [s.name, { connect: !!access, get: !!access, subscribe: !!access, set: write, publish: write, eval: write, multi: write, flushall: false, config: false, keys: false }];
  }));
}

function mismatches(rows: Row[], model: LoadedModel): string[] {
  const want = expected(model);
  return rows.flatMap((r) => (['connect', ...PROBES] as const).filter((p) => r.outcome[p] !== want.get(r.service)![p])
    .map((p) => `${r.service} ${p}: ${r.outcome[p] ? 'allowed' : 'refused'}, the model says ${want.get(r.service)![p] ? 'allowed' : 'refused'}`));
}

function format(rows: Row[], model: LoadedModel): string {
  const clients = model.datastores.find((d) => d.name === STORE)!.clients;
  const head = ['service', 'declares', 'connect', ...PROBES];
  const body = rows.map((r) => [r.service, clients.find((c) => c.service === r.service)?.access ?? '-', ...(['connect', ...PROBES] as const).map((p) => (r.outcome[p] ? 'yes' : 'REFUSED'))]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  return [head, ...body].map((cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ')).join('\n');
}

describe(`dev ${STORE} ACL users as rendered, on a real Redis`, () => {
  const dev = renderAll(['dev']).environments[0];
  const acl = renderedAcl(dev.files);
  let dir: string;
  let server: RedisServer;
  let passwords: Map<string, string>;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gm-redis-acl-'));
    passwords = await writeAclFiles(acl, dir);
    server = await startRedis({ password: randomBytes(12).toString('hex'), extraArgs: ['--include', `${dir}/*.conf`] });
  });
  after(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('each service may do what its access declares and nothing dangerous; services without Redis have no user', async () => {
    const rows = await matrix(server, dev.model, acl, passwords);
    console.log(`\ndev ${STORE} ACL (rendered users on redis-server ${server.host}:${server.port}):\n${format(rows, dev.model)}\n`);
    assert.deepEqual(mismatches(rows, dev.model), []);
    const row = (s: string) => rows.find((r) => r.service === s)!.outcome;
    assert.deepEqual([row('analytics-api').get, row('analytics-api').subscribe, row('analytics-api').set, row('analytics-api').publish], [true, true, false, false]);
    assert.deepEqual([row('event-processor').publish, row('prediction-api').eval, row('recommendation-engine').multi], [true, true, true]);
    assert.equal(row('event-ingestion').connect, false);
  });

  it('a wrong password is refused for an existing user', async () => {
    const outcome = await probe(server, 'event-processor', 'not-its-password');
    assert.equal(outcome.connect, false);
  });

  it("rotation: the rendered acl-sync sidecar applies a new password to the running server; open connections stay", async () => {
    const app = parse([...dev.files].find(([p]) => p.endsWith(`/application-dev-${STORE}.yaml`))![1]) as Obj;
    const sidecar = app.spec.source.helm.valuesObject.master.sidecars.find((c: Obj) => c.name === 'acl-sync');
    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
    for (const e of sidecar.env as Obj[]) if (e.value !== undefined) env[e.name] = e.value;
    assert.equal(env.ACL_DIR, acl.includeDir, 'the sidecar reads the directory redis.conf includes');
    // Here: the temp folder, this server's port and password, one second between passes.
    Object.assign(env, { ACL_DIR: dir, REDIS_PORT: String(server.port), REDIS_PASSWORD: server.password!, ACL_SYNC_INTERVAL: '1' });
    const [command, ...args] = sidecar.command as string[];
    const child = spawn(command, args, { env, stdio: 'ignore' });
    const open = client(server, 'event-processor', passwords.get('event-processor')!);
    try {
      await open.connect();
      // External Secrets regenerates the Secret: a new password, the same rule (the template filled again).
      const rotated = randomBytes(12).toString('hex');
      await writeFile(join(dir, 'event-processor.conf'), `${fillTemplate(acl.files.get('event-processor.conf')!, rotated)}\n`);
      await waitFor(async () => ((await probe(server, 'event-processor', rotated)).connect ? true : undefined), { what: 'the sidecar to apply the rotated password', timeoutMs: 30_000, intervalMs: 200 });
      assert.equal((await probe(server, 'event-processor', passwords.get('event-processor')!)).connect, false, 'the old password is refused');
      assert.equal(await open.set('acl-probe:open', '1'), 'OK', 'the connection opened before the rotation still works');
      assert.deepEqual(mismatches([{ service: 'event-processor', outcome: await probe(server, 'event-processor', rotated) }], dev.model), [], 'the rule is unchanged');
      passwords.set('event-processor', rotated);
    } finally {
      open.disconnect();
      child.kill('SIGTERM');
    }
  });

  it('follows a changed access in a copy of the model; the old rules fail the new model', async () => {
    const copy = structuredClone(platform) as PlatformSpec;
    const services = copy.tenants.gamemetrics.services as Record<string, { datastores?: Array<{ name: string; access?: 'read' | 'read-write' }> }>;
    services['analytics-api'].datastores = services['analytics-api'].datastores!.map((d) => (d.name === STORE ? { ...d, access: 'read-write' } : d));
    services['notification-service'].datastores = services['notification-service'].datastores!.map((d) => (d.name === STORE ? { ...d, access: 'read' } : d));
    const changed = renderAll(['dev'], { platform: copy }).environments[0];
    const before = await matrix(server, changed.model, acl, passwords);
    assert.ok(mismatches(before, changed.model).some((m) => m.startsWith('analytics-api set: refused')), 'the running rules no longer match the changed model');

    const changedAcl = renderedAcl(changed.files);
    assert.notEqual(changedAcl.files.get('analytics-api.conf'), acl.files.get('analytics-api.conf'));
    const changedPasswords = await writeAclFiles(changedAcl, dir);
    await server.restart(); // the server reads its config at start (docs/secrets.md: rotation)
    const rows = await matrix(server, changed.model, changedAcl, changedPasswords);
    console.log(`\ndev ${STORE} ACL after the change (analytics-api: read → read-write; notification-service: read-write → read):\n${format(rows, changed.model)}\n`);
    assert.deepEqual(mismatches(rows, changed.model), []);
    assert.equal(rows.find((r) => r.service === 'analytics-api')!.outcome.set, true);
    assert.equal(rows.find((r) => r.service === 'notification-service')!.outcome.eval, false);
  });
});
