import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatMarkdown } from './format-markdown.ts';
import { GITHUB_COMMENT_LIMIT, markerLine, splitMarkdown } from './markdown-split.ts';
import type { DiffReport, ResourceChange } from './types.ts';

function report(changes: ResourceChange[]): DiffReport {
  return {
    base: 'origin/main (abc)',
    head: 'working tree',
    summary: ['dev', 'prod'].map((env) => ({ env, tier: env === 'prod' ? 'production' : 'development', added: 0, changed: changes.filter((c) => c.env === env).length, removed: 0 })),
    blastRadius: { environments: ['dev', 'prod'], tenants: ['t'], services: ['s'], applications: ['dev-t'], restarts: [], flags: [{ category: 'prod', env: 'prod', reason: 'many resources change in prod' }], capacity: [] },
    changes,
    notes: [],
  };
}

function changed(env: string, i: number, fields: number): ResourceChange {
  return {
    env, application: `${env}-t`, id: { group: '', kind: 'ConfigMap', namespace: 't', name: `config-${i}` }, ref: `ConfigMap t/config-${i}`, status: 'changed', file: `tenants/t/t/configmap-config-${i}.yaml`,
    fields: Array.from({ length: fields }, (_, f) => ({ path: `data.KEY_${f}`, op: 'changed' as const, old: 'x'.repeat(40), new: 'y'.repeat(40) })),
  };
}

/** Structural validity of one comment: closed details and code fences. */
function assertWellFormed(part: string) {
  assert.equal((part.match(/<details>/g) ?? []).length, (part.match(/<\/details>/g) ?? []).length, 'every <details> is closed');
  assert.equal(part.split('\n').filter((l) => /^```/.test(l)).length % 2, 0, 'every code fence is closed');
}

describe('markdown comments', () => {
  it('put the summary table first, then the blast radius, then collapsible details', () => {
    const [part, ...rest] = formatMarkdown(report([changed('dev', 1, 2)]));
    assert.equal(rest.length, 0);
    assert.ok(part.startsWith(`${markerLine(1, 1)}\n## Rendered diff`));
    const table = part.indexOf('| Environment | Added | Changed | Removed |');
    assert.ok(table > 0 && table < part.indexOf('### Blast radius') && part.indexOf('### Blast radius') < part.indexOf('<details>'));
    assert.match(part, /```diff\n- data\.KEY_0: x+\n\+ data\.KEY_0: y+\n/);
    assertWellFormed(part);
  });

  it('stay below the limit: split between resources, every resource exactly once, sections continued', () => {
    const changes = [...Array.from({ length: 300 }, (_, i) => changed('dev', i, 12)), ...Array.from({ length: 300 }, (_, i) => changed('prod', i, 12))];
    const parts = formatMarkdown(report(changes));
    assert.ok(parts.length >= 3, `expected several comments, got ${parts.length}`);
    parts.forEach((part, i) => {
      assert.ok(part.length <= GITHUB_COMMENT_LIMIT, `part ${i + 1} has ${part.length} characters`);
      assert.ok(part.startsWith(markerLine(i + 1, parts.length)));
      assertWellFormed(part);
    });
    for (const c of changes) {
      const holders = parts.filter((p) => p.includes(`<b>${c.ref}</b>`) && p.includes(`rendered/${c.env}/${c.file}`));
      assert.equal(holders.length, 1, `${c.env} ${c.ref} appears once`);
    }
    assert.ok(parts.slice(1).some((p) => p.includes('### dev (continued)') || p.includes('### prod (continued)')));
    assert.equal(parts.filter((p) => p.includes('| Environment | Added | Changed | Removed |')).length, 1, 'summary only in the first comment');
  });

  it('truncate a single resource larger than a comment, and say so', () => {
    const parts = formatMarkdown(report([changed('dev', 1, 5000)]));
    assert.equal(parts.length, 2);
    assert.ok(parts.every((p) => p.length <= GITHUB_COMMENT_LIMIT));
    assert.match(parts[1], /… \d+ more lines not shown: run npm run diff locally for everything/);
    assertWellFormed(parts[1]);
  });

  it('split at an exact limit: a part never exceeds it, and blocks that fit are not split', () => {
    const blocks = Array.from({ length: 10 }, (_, i) => ({ head: `block ${i}\n`, body: ['x'.repeat(80)], tail: '\n' }));
    const one = blocks[0].head.length + blocks[0].body[0].length + 1 + blocks[0].tail.length;
    const limit = markerLine(999, 999).length + 1 + one * 3;
    const parts = splitMarkdown(blocks, limit);
    assert.equal(parts.length, 4);
    assert.ok(parts.every((p) => p.length <= limit));
    assert.deepEqual(parts.map((p) => (p.match(/^block \d+$/gm) ?? []).length), [3, 3, 3, 1]);
  });

  it('say "no changes" for an empty diff', () => {
    const [part] = formatMarkdown({ ...report([]), blastRadius: { environments: [], tenants: [], services: [], applications: [], restarts: [], flags: [], capacity: [] } });
    assert.match(part, /\*\*No changes\*\*/);
    assert.doesNotMatch(part, /<details>/);
  });
});
