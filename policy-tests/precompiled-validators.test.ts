// The committed validators (policy-tests/validators/) are built from exactly the current inputs, hold what their
// manifest vouches for, and a stale or incomplete folder is recognised with a reason a person can act on.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { currentInputs, describeChanges } from './lib/schema/inputs.ts';
import { checkPrecompiled, expandPrecompiled, manifestText, moduleFile, readManifest, readPrecompiled, REGENERATE, VALIDATORS_DIR } from './lib/schema/precompiled.ts';

const work = mkdtempSync(join(tmpdir(), 'precompiled-validators-'));
after(() => rmSync(work, { recursive: true, force: true }));

describe('policy-tests/validators/', () => {
  it('was built from the current inputs (model packages, ajv, schema code, repo schemas)', () => {
    const state = checkPrecompiled(currentInputs());
    if (!state.fresh) assert.fail(`${state.reason}: run \`${REGENERATE}\` and commit policy-tests/validators/`);
  });

  it('holds, for every file of the manifest, the content it vouches for', () => {
    const manifest = readManifest()!;
    assert.ok(Object.keys(manifest.files).length > 2);
    for (const [file, sha] of Object.entries(manifest.files)) {
      assert.equal(createHash('sha256').update(readPrecompiled(file)).digest('hex'), sha, `${file}.br: content differs from the manifest: run \`${REGENERATE}\``);
    }
  });

  it('exports a validator for every kind of the index, and the validators judge documents', async () => {
    const manifest = readManifest()!;
    const mods = new Map<string, Record<string, unknown>>();
    for (const module of new Set(Object.values(manifest.index).map(([m]) => m))) {
      mods.set(module, await import(pathToFileURL(expandPrecompiled(moduleFile(module), work)).href));
    }
    for (const [kind, [module, name]] of Object.entries(manifest.index)) assert.equal(typeof mods.get(module)![name], 'function', `${kind}: ${module}.${name}`);
    const [coreModule, cmExport] = manifest.index['v1/ConfigMap'];
    const validate = mods.get(coreModule)![cmExport] as ((d: unknown) => boolean) & { errors?: Array<{ keyword: string; params: Record<string, unknown> }> };
    assert.equal(validate({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v' } }), true);
    assert.equal(validate({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, dta: {} }), false);
    assert.deepEqual(validate.errors?.map((e) => [e.keyword, e.params.additionalProperty]), [['additionalProperties', 'dta']]);
    const bundle = JSON.parse(readPrecompiled('bundle.json').toString()) as { kinds: Record<string, unknown> };
    assert.deepEqual(Object.keys(bundle.kinds).sort(), Object.keys(manifest.index).sort());
  });
});

describe('checkPrecompiled', () => {
  const inputs = currentInputs();
  /** A copy of the folder's manifest, changed by `edit`, and the listed files (empty: only their presence counts). */
  function folderWith(name: string, edit: (m: ReturnType<typeof readManifest> & object) => void, withFiles = true): string {
    const dir = join(work, name);
    const manifest = readManifest()!;
    edit(manifest);
    mkdirSync(dir);
    writeFileSync(join(dir, 'manifest.json'), manifestText(manifest));
    if (withFiles) for (const f of Object.keys(manifest.files)) writeFileSync(join(dir, `${f}.br`), '');
    return dir;
  }

  it('accepts a folder built from the current inputs', () => {
    assert.equal(checkPrecompiled(inputs, folderWith('same', () => {})).fresh, true);
  });

  it('names the package whose version changed', () => {
    const dir = folderWith('bumped', (m) => {
      m.inputs['package kubernetes-models'] = '0.0.1';
      m.hash = '0000000000000000';
    });
    const state = checkPrecompiled(inputs, dir);
    assert.equal(state.fresh, false);
    assert.match(!state.fresh ? state.reason : '', new RegExp(`stale \\(kubernetes-models 0\\.0\\.1 → ${inputs['package kubernetes-models'].replace(/\./g, '\\.')}\\)`));
  });

  it('names a changed source file', () => {
    const dir = folderWith('edited', (m) => {
      m.inputs['file policy-tests/lib/schema/extract.ts'] = 'x';
      m.hash = '0000000000000000';
    });
    const state = checkPrecompiled(inputs, dir);
    assert.equal(!state.fresh && state.reason, 'the precompiled validators are stale (policy-tests/lib/schema/extract.ts changed)');
  });

  it('reports missing files and a missing manifest', () => {
    const incomplete = checkPrecompiled(inputs, folderWith('incomplete', () => {}, false));
    assert.match(!incomplete.fresh ? incomplete.reason : '', /incomplete \(validators-argoproj\.io\.mjs\.br, .*bundle\.json\.br missing\)/);
    const empty = checkPrecompiled(inputs, mkdtempSync(join(work, 'empty-')));
    assert.match(!empty.fresh ? empty.reason : '', /^no precompiled validators \(.*manifest\.json missing\)$/);
  });
});

describe('describeChanges', () => {
  it('lists version changes, added, removed and changed files', () => {
    assert.deepEqual(
      describeChanges({ 'package ajv': '8.1.0', 'file a.json': '1', 'file b.json': '1' }, { 'package ajv': '8.2.0', 'file b.json': '2', 'file c.json': '1' }),
      ['a.json removed', 'b.json changed', 'c.json added', 'ajv 8.1.0 → 8.2.0'],
    );
  });
});
