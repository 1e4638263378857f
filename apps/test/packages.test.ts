/**
 * Every package.json lists what its code uses, and nothing else: each workspace under apps/ (the
 * library and each service) exactly the packages its non-test files import; the root package what
 * the rest of the repository imports (or reads by name, or runs: node, typescript, type packages).
 * Services reach the library only through its package name; one locked version of each package
 * serves everyone; kafkajs is the version apps/lib/kafkajs.ts's replacements were written for.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { MODEL_PACKAGES } from '../../policy-tests/lib/schema/packages.ts';
import { KAFKAJS_VERSION } from '../lib/kafkajs.ts';
import { importSpecifiers, packageOf } from './imports.ts';
import { REPO } from './stack.ts';

interface Manifest {
  name: string;
  workspaces?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
const read = (dir: string) => JSON.parse(readFileSync(join(REPO, dir, 'package.json'), 'utf8')) as Manifest;
const root = read('.');
const workspaces = root.workspaces ?? [];
const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; link?: boolean }> };
const LIB = 'apps/lib';

function tsFiles(dir: string, skip: (path: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (skip(path)) return [];
    return statSync(path).isDirectory() ? tsFiles(path, skip) : path.endsWith('.ts') ? [path] : [];
  });
}
const isTest = (path: string) => /(^|\/)test(\/|$)/.test(relative(REPO, path)) || path.endsWith('.test.ts');
const imported = (files: string[]) => new Set(files.flatMap((f) => importSpecifiers(f).map(packageOf).filter((p): p is string => p !== undefined)));
const sorted = (names: Iterable<string>) => [...new Set(names)].sort();

describe('package.json files', () => {
  test('apps/lib and each service are npm workspaces', () => {
    assert.deepEqual(sorted(workspaces), sorted([LIB, 'apps/event-ingestion', 'apps/event-processor', 'apps/analytics-api', 'apps/prediction-api', 'apps/model-training', 'apps/user-service', 'apps/recommendation-engine', 'apps/data-retention']));
    for (const ws of workspaces) assert.equal(lock.packages[`node_modules/${read(ws).name}`]?.link, true, `${ws} is linked in package-lock.json`);
  });

  for (const ws of workspaces) {
    test(`${ws}: dependencies are exactly what its code imports`, () => {
      const pkg = read(ws);
      const files = tsFiles(join(REPO, ws), (p) => p.endsWith('node_modules') || isTest(p));
      const uses = imported(files);
      if (ws !== LIB) uses.add(read(LIB).name);
      assert.deepEqual(sorted(Object.keys(pkg.dependencies ?? {})), sorted(uses), `${ws}/package.json "dependencies" against the imports of ${ws}`);
      const types = Object.keys(pkg.devDependencies ?? {});
      assert.deepEqual(types.filter((t) => !t.startsWith('@types/') || !uses.has(t.slice('@types/'.length))), [], 'devDependencies are type packages of its dependencies');
    });

    test(`${ws}: relative imports stay inside the package (the library by its name)`, () => {
      const outside: string[] = [];
      for (const file of tsFiles(join(REPO, ws), (p) => p.endsWith('node_modules') || isTest(p)))
        for (const spec of importSpecifiers(file))
          if (spec.startsWith('.') && relative(join(REPO, ws), resolve(dirname(file), spec)).startsWith('..')) outside.push(`${relative(REPO, file)}: ${spec}`);
      assert.deepEqual(outside, []);
    });
  }

  test('one locked version of each package serves the root and every workspace', () => {
    const nested = Object.keys(lock.packages).filter((k) => /^apps\/[^/]+\/node_modules\//.test(k));
    assert.deepEqual(nested, []);
  });

  test(`kafkajs is pinned to ${KAFKAJS_VERSION} where the services use it, and locked at it`, () => {
    const declaring = workspaces.filter((ws) => 'kafkajs' in (read(ws).dependencies ?? {}));
    assert.ok(declaring.includes(LIB));
    for (const ws of declaring) assert.equal(read(ws).dependencies?.kafkajs, KAFKAJS_VERSION, `${ws}/package.json`);
    const copies = Object.entries(lock.packages).filter(([k]) => k === 'node_modules/kafkajs' || k.endsWith('/node_modules/kafkajs'));
    assert.deepEqual(copies.map(([, v]) => v.version), [KAFKAJS_VERSION]);
  });

  test('the root package lists only what the code outside the workspaces uses', () => {
    const workspaceDirs = workspaces.map((ws) => join(REPO, ws));
    const skip = (p: string) => /\/(node_modules|rendered|\.git)$/.test(p) || workspaceDirs.includes(p);
    const uses = imported(tsFiles(REPO, skip));
    // Read by name (their type declarations are the policy schemas' source), and the toolchain.
    for (const p of [...MODEL_PACKAGES, 'node', 'typescript', '@types/node']) uses.add(p);
    const declared = Object.keys({ ...root.dependencies, ...root.devDependencies });
    const unused = declared.filter((p) => !uses.has(p) && !(p.startsWith('@types/') && uses.has(p.slice('@types/'.length))));
    assert.deepEqual(unused, [], 'root package.json dependencies nothing outside the workspaces imports');
    const undeclared = [...uses].filter((p) => !declared.includes(p) && !workspaces.some((ws) => read(ws).name === p));
    assert.deepEqual(undeclared, [], 'packages the root code imports without declaring them');
  });
});
