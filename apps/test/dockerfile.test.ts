/**
 * apps/Dockerfile against what it must hold. No container engine runs here, so the recipe is
 * carried out on the file system (apps/test/image-layout.ts: the same npm ci with the real lock, the
 * same copies) and each service is booted from the result, as the image's CMD and ENV would start
 * it. Also: each service's import graph stays inside what the image copies and uses only production
 * dependencies of its package and the library's; Node 24; the rendered Deployments' user;
 * an exec-form entry so SIGTERM reaches node.
 */
import assert from 'node:assert/strict';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { freePort, spawnServer, tailFile, waitFor } from '../../scripts/harness/process.ts';
import { KAFKAJS_VERSION } from '../lib/kafkajs.ts';
import { buildImageLayout, type ImageLayout } from './image-layout.ts';
import { importSpecifiers, packageOf } from './imports.ts';
import { IMAGE_NODE_OPTIONS, renderedService, REPO } from './stack.ts';

const dockerfile = readFileSync(join(REPO, 'apps', 'Dockerfile'), 'utf8');
type Manifest = { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
const manifest = (dir: string) => JSON.parse(readFileSync(join(REPO, dir, 'package.json'), 'utf8')) as Manifest;
const rootPkg = manifest('.');
const runtimeStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
const LIB_PACKAGE = '@gamemetrics/service-kit';
/** Every service workspace: the image must build each (apps/Dockerfile is generic over them). */
const SERVICES = (rootPkg as Manifest & { workspaces: string[] }).workspaces.filter((w) => w !== 'apps/lib').map((w) => w.slice('apps/'.length));

/** Production packages the image of `service` installs: its package's and the library's. */
const productionDeps = (service: string) => new Set([...Object.keys(manifest(`apps/${service}`).dependencies ?? {}), ...Object.keys(manifest('apps/lib').dependencies ?? {})]);

/** Every file main.ts reaches through relative imports and the library's package name, and every other package it imports. */
function importGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const spec of importSpecifiers(file)) {
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
      else if (spec.startsWith(`${LIB_PACKAGE}/`)) visit(join(REPO, 'apps', 'lib', spec.slice(LIB_PACKAGE.length + 1)));
      else if (packageOf(spec)) packages.add(packageOf(spec) as string);
    }
  };
  visit(entry);
  return { files, packages };
}

describe('apps/Dockerfile', () => {
  test('the services built are the root package.json\'s service workspaces', () => {
    assert.ok(SERVICES.includes('notification-service') && SERVICES.includes('admin-dashboard') && SERVICES.length >= 5);
  });

  for (const service of SERVICES) {
    test(`${service}: the image holds everything main.ts imports`, () => {
      const entry = join(REPO, 'apps', service, 'src', 'main.ts');
      assert.ok(existsSync(entry));
      const { files, packages } = importGraph(entry);
      const outside = [...files].map((f) => relative(REPO, f)).filter((f) => !f.startsWith('apps/lib/') && !f.startsWith(`apps/${service}/src/`));
      assert.deepEqual(outside, [], 'imports outside apps/lib and the service src are not in the image');
      const production = productionDeps(service);
      const notProduction = [...packages].filter((p) => !production.has(p));
      assert.deepEqual(notProduction, [], `imported packages must be dependencies of apps/${service}/package.json or apps/lib/package.json (the image installs only those)`);
    });

    test(`${service}: runs as the rendered workload's user`, () => {
      // The service's Deployment, Rollout (progressive delivery: same pod template) or CronJob, in whichever tenant namespace renders it.
      const tenants = join(REPO, 'rendered/dev/tenants');
      const files = readdirSync(tenants).flatMap((t) => readdirSync(join(tenants, t)).map((ns) => join(tenants, t, ns)))
        .flatMap((dir) => [`deployment-${service}.yaml`, `rollout-${service}.yaml`, `cronjob-${service}.yaml`].map((f) => join(dir, f)).filter((f) => existsSync(f)));
      assert.equal(files.length, 1, `one rendered workload for ${service}`);
      const workload = parse(readFileSync(files[0], 'utf8'));
      const pod = workload.kind === 'CronJob' ? workload.spec.jobTemplate.spec.template.spec : workload.spec.template.spec;
      const sc = pod.securityContext;
      const user = /^USER (\d+):(\d+)$/m.exec(runtimeStage);
      assert.ok(user, 'the runtime stage sets a numeric USER uid:gid');
      assert.deepEqual([Number(user[1]), Number(user[2])], [sc.runAsUser, sc.runAsGroup]);
      const container = pod.containers[0];
      assert.equal(container.securityContext.readOnlyRootFilesystem, true);
    });
  }

  test('the tests and benches start the services with the image\'s NODE_OPTIONS', () => {
    const env = /^\s*NODE_OPTIONS="([^"]*)"/m.exec(runtimeStage);
    assert.ok(env, 'the runtime stage sets NODE_OPTIONS="…"');
    assert.deepEqual(env[1].split(/\s+/), IMAGE_NODE_OPTIONS);
  });

  test('the import check sees imports that would be missing from the image', () => {
    const { files, packages } = importGraph(join(REPO, 'apps', 'test', 'stack.ts'));
    assert.ok([...files].some((f) => relative(REPO, f).startsWith('scripts/harness/')), 'stack.ts reaches scripts/harness');
    assert.ok(packages.has('yaml') && packages.has('kafkajs'));
  });

  test('Node 24, multi-stage, exec-form entry point, the copied paths are the ones the check above assumes', () => {
    const from = [...dockerfile.matchAll(/^ARG NODE_IMAGE=node:(\d+)/gm)].map((m) => m[1]);
    assert.deepEqual(from, ['24']);
    assert.equal((rootPkg.devDependencies as Record<string, string>).node.replace(/^\D*/, '').split('.')[0], '24');
    assert.equal([...dockerfile.matchAll(/^FROM /gm)].length, 2);
    assert.match(runtimeStage, /^CMD \["node", "\/app\/main\.ts"\]$/m);
    assert.match(runtimeStage, /^COPY apps\/lib \.\/apps\/lib$/m);
    assert.match(runtimeStage, /^COPY apps\/\$\{SERVICE\}\/src \.\/apps\/\$\{SERVICE\}\/src$/m);
    assert.doesNotMatch(runtimeStage, /npm (ci|install)/, 'no package installation in the runtime stage');
  });
});

/** The rendered dev environment of `service`, with dependencies pointed at closed local ports and dummy secrets. */
async function unreachableEnv(service: string, port: number): Promise<Record<string, string>> {
  const r = renderedService(service);
  const env: Record<string, string> = { ...r.config, ...r.env };
  const closed = String(await freePort());
  const dummies: Record<string, string> = { API_KEYS: `gamemetrics:${'0'.repeat(64)}`, OPERATOR_TOKENS: `operator:${'0'.repeat(64)}`, NOTIFY_WEBHOOKS: `push=http://127.0.0.1:${closed}/push` };
  for (const ref of r.secretRefs) env[ref.env] = dummies[ref.env] ?? 'not-a-secret';
  const local: Record<string, string> = {
    PORT: String(port),
    KAFKA_BROKERS: `127.0.0.1:${closed}`,
    KAFKA_SSL: 'false',
    PGHOST: '127.0.0.1',
    PGPORT: closed,
    PGSSLMODE: 'disable',
    REDIS_URL: `redis://127.0.0.1:${closed}`,
  };
  for (const [k, v] of Object.entries(local)) if (k in env) env[k] = v;
  return { ...env, HOST: '127.0.0.1' };
}

/** Installed package names in a node_modules folder (scoped ones as @scope/name). */
function installedPackages(nodeModules: string): string[] {
  return readdirSync(nodeModules)
    .filter((n) => !n.startsWith('.'))
    .flatMap((n) => (n.startsWith('@') ? readdirSync(join(nodeModules, n)).map((m) => `${n}/${m}`) : [n]));
}

describe('apps/Dockerfile, carried out on the file system', () => {
  let workDir = '';
  const layouts = new Map<string, Promise<ImageLayout>>();

  before(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'gm-image-'));
    for (const service of SERVICES) {
      const layout = buildImageLayout(REPO, service, join(workDir, service));
      layout.catch(() => {}); // reported by the tests that await it
      layouts.set(service, layout);
    }
  });
  after(async () => {
    await Promise.allSettled(layouts.values());
    await rm(workDir, { recursive: true, force: true });
  });

  test('an unknown SERVICE stops the build with the services it knows', async () => {
    await assert.rejects(buildImageLayout(REPO, 'lib', join(workDir, 'refused')), /refuses SERVICE=lib: build with --build-arg SERVICE=<event-ingestion\|.*admin-dashboard.*> \(got "lib"\)/);
  });

  for (const service of SERVICES) {
    test(`${service}: the image installs the service's and the library's production packages, nothing of the root package`, async () => {
      const layout = (await layouts.get(service)) as ImageLayout;
      const nodeModules = join(layout.root, 'node_modules');
      const installed = new Set(installedPackages(nodeModules));
      const missing = [...productionDeps(service)].filter((p) => !installed.has(p));
      assert.deepEqual(missing, []);
      const workspaceDeps = new Set(['apps/lib', ...SERVICES.map((s) => `apps/${s}`)].flatMap((d) => Object.keys({ ...manifest(d).dependencies, ...manifest(d).devDependencies })));
      const rootOnly = Object.keys({ ...rootPkg.dependencies, ...rootPkg.devDependencies }).filter((p) => !workspaceDeps.has(p));
      assert.ok(rootOnly.includes('ts-morph') && rootOnly.includes('typescript'), 'the root keeps its tools');
      // npm installs the peers production packages declare (typescript for @qdrant/js-client-rest's types): theirs, not the root's.
      const peers = new Set([...installed].flatMap((p) => Object.keys(JSON.parse(readFileSync(join(nodeModules, p, 'package.json'), 'utf8')).peerDependencies ?? {})));
      assert.deepEqual(rootOnly.filter((p) => installed.has(p) && !peers.has(p)), [], 'root-only packages in the image');
      assert.ok(![...installed].some((p) => p.startsWith('@kubernetes-models/') || p.startsWith('@types/')));
      assert.equal(readlinkSync(join(nodeModules, LIB_PACKAGE)), '../../apps/lib', 'the library is linked, not copied');
      if (installed.has('kafkajs')) assert.equal(JSON.parse(readFileSync(join(nodeModules, 'kafkajs', 'package.json'), 'utf8')).version, KAFKAJS_VERSION);
      assert.ok(lstatSync(join(layout.root, 'main.ts')).isSymbolicLink());
      assert.equal(existsSync(join(layout.root, 'apps', 'lib', 'test')), false, '.dockerignore keeps the tests out');
    });

    // Booted here: the long-running services whose Deployment the event-path helpers read (rendered/dev, gamemetrics).
    // Cron jobs run to completion (no /healthz), and the Geo-Sentiment services boot from their rendered
    // workloads in apps/test/prediction-contract.test.ts; their images are built and checked above.
    if (!existsSync(join(REPO, 'rendered/dev/tenants/gamemetrics/gamemetrics', `deployment-${service}.yaml`))) continue;
    test(`${service}: boots from the image's files with the image's ENV and CMD (dependencies away: live, not ready unless it has none)`, async () => {
      const layout = (await layouts.get(service)) as ImageLayout;
      assert.equal(layout.env.NODE_ENV, 'production');
      assert.equal(layout.command[0], 'node');
      const port = await freePort();
      const logFile = join(workDir, `${service}.log`);
      const proc = spawnServer({
        name: service,
        command: process.execPath,
        args: layout.command.slice(1),
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...layout.env, ...(await unreachableEnv(service, port)) },
        logFile,
        cwd: layout.root,
      });
      try {
        const url = `http://127.0.0.1:${port}`;
        await waitFor(async () => ((await fetch(`${url}/healthz`)).status === 200 ? true : undefined), {
          what: `${service} booted from ${layout.root}`,
          timeoutMs: 30_000,
          detail: () => tailFile(logFile, 30),
          abort: () => proc.exited(),
        });
        const ready = await fetch(`${url}/readyz`);
        const config = renderedService(service).config;
        const hasDependencies = ['KAFKA_BROKERS', 'PGHOST', 'REDIS_URL'].some((k) => k in config);
        assert.equal(ready.status, hasDependencies ? 503 : 200);
        const log = readFileSync(logFile, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg?: string });
        const usesKafka = 'KAFKA_BROKERS' in config;
        assert.equal(log.some((l) => l.msg === 'kafkajs fast paths in effect'), usesKafka, tailFile(logFile, 30));
      } finally {
        await proc.stop();
      }
    });
  }
});
