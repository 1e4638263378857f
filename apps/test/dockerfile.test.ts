/**
 * apps/Dockerfile against what it must hold (no container engine runs here, so the image is checked
 * by what it copies): each service's import graph stays inside what the image copies, its packages
 * are production dependencies, it runs on Node 24 as the rendered Deployments' user, with an
 * exec-form entry so SIGTERM reaches node.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { EVENT_PATH, IMAGE_NODE_OPTIONS, REPO } from './stack.ts';

const dockerfile = readFileSync(join(REPO, 'apps', 'Dockerfile'), 'utf8');
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const runtimeStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

/** Every file main.ts reaches through relative imports, and every package it imports. */
function importGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'/gm)) {
      const spec = m[1] ?? m[2];
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
      else if (!spec.startsWith('node:') && !builtinModules.includes(spec)) packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
    }
  };
  visit(entry);
  return { files, packages };
}

describe('apps/Dockerfile', () => {
  for (const service of EVENT_PATH) {
    test(`${service}: the image holds everything main.ts imports`, () => {
      const entry = join(REPO, 'apps', service, 'src', 'main.ts');
      assert.ok(existsSync(entry));
      const { files, packages } = importGraph(entry);
      const outside = [...files].map((f) => relative(REPO, f)).filter((f) => !f.startsWith('apps/lib/') && !f.startsWith(`apps/${service}/src/`));
      assert.deepEqual(outside, [], 'imports outside apps/lib and the service src are not in the image');
      const notProduction = [...packages].filter((p) => !(p in pkg.dependencies));
      assert.deepEqual(notProduction, [], 'imported packages must be dependencies (npm ci --omit=dev)');
    });

    test(`${service}: runs as the rendered Deployment's user`, () => {
      const deployment = parse(readFileSync(join(REPO, 'rendered/dev/tenants/gamemetrics/gamemetrics', `deployment-${service}.yaml`), 'utf8'));
      const sc = deployment.spec.template.spec.securityContext;
      const user = /^USER (\d+):(\d+)$/m.exec(runtimeStage);
      assert.ok(user, 'the runtime stage sets a numeric USER uid:gid');
      assert.deepEqual([Number(user[1]), Number(user[2])], [sc.runAsUser, sc.runAsGroup]);
      const container = deployment.spec.template.spec.containers[0];
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
    assert.equal(pkg.devDependencies.node.replace(/^\D*/, '').split('.')[0], '24');
    assert.equal([...dockerfile.matchAll(/^FROM /gm)].length, 2);
    assert.match(runtimeStage, /^CMD \["node", "\/app\/main\.ts"\]$/m);
    assert.match(runtimeStage, /^COPY apps\/lib \.\/apps\/lib$/m);
    assert.match(runtimeStage, /^COPY apps\/\$\{SERVICE\}\/src \.\/apps\/\$\{SERVICE\}\/src$/m);
    assert.doesNotMatch(runtimeStage, /npm (ci|install)/, 'no package installation in the runtime stage');
  });
});
