// Waivers by annotation and by model entry: counted apart, expiry, reasons, environments, --no-waivers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDocs } from './lib/documents.ts';
import { runPolicy } from './lib/engine.ts';
import { deployment } from './fixtures/builders.ts';
import type { DocEnv } from './lib/rule.ts';
import type { ModelWaiver } from './lib/waivers.ts';
import { CATALOG } from './rules/index.ts';

const oneReplica = (annotations?: Record<string, string>) =>
  deployment((d) => {
    d.spec.replicas = 1;
    if (annotations) d.metadata.annotations = annotations;
  });

function run(text: string, opts: { waivers?: ModelWaiver[]; noWaivers?: boolean; env?: string | null; file?: string } = {}) {
  const problems: string[] = [];
  const docs = parseDocs(opts.file ?? 'rendered/prod/x.yaml', text, problems);
  assert.deepEqual(problems, []);
  const env: DocEnv = { name: opts.env === undefined ? 'prod' : opts.env, tier: 'production', approvedRegistries: ['registry.example.com/gamemetrics/'] };
  return runPolicy(docs, CATALOG, { rulesets: ['best-practices'], envOf: () => env, waivers: opts.waivers ?? [], noWaivers: !!opts.noWaivers, today: '2026-06-01' });
}

const waiver = (w: Partial<ModelWaiver>): ModelWaiver => ({
  rule: 'best-practices/replicas',
  target: 'api',
  environments: null,
  reason: 'single-writer service until the leader election lands',
  expires: '2026-12-31',
  approvedBy: 'platform-team',
  modelPath: 'policies.waivers[0]',
  ...w,
});

describe('annotation waivers', () => {
  it('waives the named rule on that object, with its reason, and nothing else', () => {
    const f = run(oneReplica({ 'waivers.gamemetrics.dev/best-practices.replicas': 'canary: one pod by design' }));
    assert.equal(f.length, 1);
    assert.equal(f[0].ruleId, 'best-practices/replicas');
    assert.deepEqual({ source: f[0].waiver?.source, reason: f[0].waiver?.reason }, { source: 'annotation', reason: 'canary: one pod by design' });
  });

  it('an empty reason waives nothing and is an error itself', () => {
    const f = run(oneReplica({ 'waivers.gamemetrics.dev/best-practices.replicas': ' ' }));
    assert.deepEqual(f.map((x) => [x.ruleId, !!x.waiver]).sort(), [['best-practices/replicas', false], ['policy/waiver-reason', false]]);
    assert.equal(f.find((x) => x.ruleId === 'policy/waiver-reason')!.path, 'metadata.annotations["waivers.gamemetrics.dev/best-practices.replicas"]');
  });

  it('an unknown rule in the key is an error', () => {
    const f = run(deployment((d) => (d.metadata.annotations = { 'waivers.gamemetrics.dev/best-practices.replica': 'typo' })));
    assert.deepEqual(f.map((x) => x.ruleId), ['policy/waiver-unknown-rule']);
  });

  it('--no-waivers ignores them', () => {
    const f = run(oneReplica({ 'waivers.gamemetrics.dev/best-practices.replicas': 'canary' }), { noWaivers: true });
    assert.deepEqual(f.map((x) => [x.ruleId, !!x.waiver]), [['best-practices/replicas', false]]);
  });
});

describe('model waivers', () => {
  it('waive a service by name, listing where the waiver is', () => {
    const [f] = run(oneReplica(), { waivers: [waiver({})] });
    assert.equal(f.waiver?.source, 'model');
    assert.match(f.waiver!.where, /policies\.waivers\[0\].*expires 2026-12-31/);
  });

  it('waive an object by <kind>/<namespace>/<name>', () => {
    const [f] = run(oneReplica(), { waivers: [waiver({ target: 'Deployment/team/api' })] });
    assert.ok(f.waiver);
    const [g] = run(oneReplica(), { waivers: [waiver({ target: 'Deployment/other/api' })] });
    assert.equal(g.waiver, undefined);
  });

  it('hold only in their environments', () => {
    assert.ok(run(oneReplica(), { waivers: [waiver({ environments: ['prod'] })] })[0].waiver);
    assert.equal(run(oneReplica(), { waivers: [waiver({ environments: ['staging'] })] })[0].waiver, undefined);
    // Files of no environment only take all-environment waivers.
    assert.equal(run(oneReplica(), { env: null, file: 'x.yaml', waivers: [waiver({ environments: ['prod'] })] })[0].waiver, undefined);
  });

  it('an expired waiver waives nothing and is an error', () => {
    const f = run(oneReplica(), { waivers: [waiver({ expires: '2026-05-31' })] });
    assert.deepEqual(f.map((x) => [x.ruleId, x.severity, !!x.waiver]).sort(), [['best-practices/replicas', 'error', false], ['policy/waiver-expired', 'error', false]]);
    assert.match(f.find((x) => x.ruleId === 'policy/waiver-expired')!.message, /expired on 2026-05-31/);
  });

  it('--no-waivers ignores them, expired ones included', () => {
    const f = run(oneReplica(), { waivers: [waiver({ expires: '2020-01-01' })], noWaivers: true });
    assert.deepEqual(f.map((x) => x.ruleId), ['best-practices/replicas']);
  });
});
