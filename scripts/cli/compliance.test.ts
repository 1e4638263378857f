// The compliance report: every control of the catalog (../shared/requirements/controls.md) has either an
// implementation that exists in rendered/ or the repository with a test file that exists, or a waiver with a
// reason and an owner; the committed docs/compliance.md is what the mapping generates; mistakes are named.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { complianceProblems, renderedObjects } from '../../compliance/check.ts';
import { controls } from '../../compliance/controls.ts';
import { COMPLIANCE_DOC, complianceDoc, readControlIds } from '../../compliance/report.ts';
import type { ControlMapping } from '../../compliance/types.ts';

const repo = join(import.meta.dirname, '..', '..');
const ids = readControlIds();
const rendered = renderedObjects(join(repo, 'rendered'));
const scratch = mkdtempSync(join(tmpdir(), 'gm-compliance-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('compliance mapping', () => {
  test('the catalog is read: every ID once, in its order', () => {
    assert.ok(ids.length >= 200, `${ids.length} controls`);
    assert.equal(ids[0], 'GIT-01');
    assert.equal(new Set(ids).size, ids.length);
  });

  test('the mapping lists the catalog\'s IDs in its order, so a render without the catalog writes the same report', () => {
    assert.deepEqual(Object.keys(controls), ids);
  });

  test('every control is implemented with evidence and a test that exist, or waived with a reason and an owner', () => {
    assert.deepEqual(complianceProblems(ids, controls, repo, rendered), []);
  });

  test('what this issue built is implemented, not waived', () => {
    for (const id of ['SEC-04', 'SEC-11', 'SCL-05', 'SCL-10', 'SCL-11', 'RES-01', 'RES-02', 'RES-09', 'RES-13', 'CIC-01', 'CIC-02', 'CIC-04', 'CIC-05', 'GDP-06']) {
      assert.equal(controls[id].status, 'implemented', id);
    }
  });

  test('a missing test, a missing object, an unknown file, an unmapped control and an ownerless waiver are each named', () => {
    const broken: Record<string, ControlMapping> = {
      ...controls,
      'SEC-05': { status: 'implemented', evidence: [{ rendered: 'ClusterPolicy/no-such-policy' }], tests: ['policy-tests/no-such.test.ts'], note: 'x' },
      'SEC-06': { status: 'partial', evidence: [{ code: 'nowhere/file.ts' }, { rendered: 'Kafka/kafka/gamemetrics', env: 'qa' }], tests: [], note: 'x' },
      'SEC-09': { status: 'waived', reason: 'later', owner: ' ' },
    };
    delete broken['SEC-10'];
    assert.deepEqual(complianceProblems(ids, broken, repo, rendered), [
      'SEC-10: not mapped in compliance/controls.ts (give it evidence and tests, or a waiver with a reason and an owner)',
      'SEC-05: test policy-tests/no-such.test.ts does not exist',
      'SEC-05: ClusterPolicy/no-such-policy is not rendered in any environment',
      'SEC-06: partial without a test that proves it',
      'SEC-06: file nowhere/file.ts does not exist',
      'SEC-06: no rendered environment "qa"',
      'SEC-09: waived without an owner',
    ]);
  });

  test('an environment-bound object must be rendered in that environment', () => {
    const chaosInProd: Record<string, ControlMapping> = { ...controls, 'RES-02': { status: 'implemented', evidence: [{ rendered: 'Schedule/chaos-mesh/event-ingestion-pod-kill', env: 'prod' }], tests: ['generators/chaos/chaos.test.ts'], note: 'x' } };
    assert.deepEqual(complianceProblems(ids, chaosInProd, repo, rendered), ['RES-02: Schedule/chaos-mesh/event-ingestion-pod-kill is not rendered in prod']);
  });
});

describe('docs/compliance.md', () => {
  test('is what the mapping generates: one row per control, in the catalog order', () => {
    const doc = readFileSync(join(repo, COMPLIANCE_DOC), 'utf8');
    assert.equal(doc, complianceDoc(ids));
    const rows = doc.split('\n').filter((l) => /^\| [A-Z]{3}/.test(l)).map((l) => l.split('|')[1].trim());
    assert.deepEqual(rows, ids);
    assert.match(doc.split('\n').find((l) => l.startsWith('| SCL-05 |'))!, /\| SCL-05 \| implemented \| `VerticalPodAutoscaler\/gamemetrics\/event-ingestion`/);
  });

  test('npm run compliance --check passes; without the catalog it fails saying where the catalog should be', () => {
    const ok = spawnSync(process.execPath, [join(repo, 'scripts/compliance.ts'), '--check'], { cwd: repo, encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stderr);
    const missing = spawnSync(process.execPath, [join(repo, 'scripts/compliance.ts'), '--check'], { cwd: repo, encoding: 'utf8', env: { ...process.env, GM_CONTROLS_FILE: join(scratch, 'absent.md') } });
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /compliance: the control catalog .*absent\.md is missing: docs\/compliance\.md is generated from it\. .*GM_CONTROLS_FILE/);
    const empty = join(scratch, 'empty.md');
    writeFileSync(empty, '# no table\n');
    const none = spawnSync(process.execPath, [join(repo, 'scripts/compliance.ts')], { cwd: repo, encoding: 'utf8', env: { ...process.env, GM_CONTROLS_FILE: empty } });
    assert.equal(none.status, 1);
    assert.match(none.stderr, /lists no controls/);
  });
});
