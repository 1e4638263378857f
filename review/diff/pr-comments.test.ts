import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { markerLine } from './markdown-split.ts';
import { partOf, planComments, syncComments } from './pr-comments.ts';

const part = (i: number, n: number, text: string) => `${markerLine(i, n)}\n${text}`;

describe('pull-request comments', () => {
  it('recognise only our own comments', () => {
    assert.equal(partOf(part(2, 3, 'x')), 2);
    assert.equal(partOf('LGTM <!-- some-other-bot part 1/1 -->'), undefined);
  });

  it('first run: create every part', () => {
    assert.deepEqual(planComments([{ id: 1, body: 'LGTM' }], [part(1, 2, 'a'), part(2, 2, 'b')]), [
      { action: 'create', part: 1, body: part(1, 2, 'a') },
      { action: 'create', part: 2, body: part(2, 2, 'b') },
    ]);
  });

  it('later runs: update changed parts in place, keep equal ones, delete the surplus and duplicates', () => {
    const existing = [{ id: 10, body: part(1, 3, 'a') }, { id: 11, body: part(2, 3, 'b') }, { id: 12, body: part(3, 3, 'c') }, { id: 13, body: part(1, 3, 'dup') }, { id: 5, body: 'LGTM' }];
    assert.deepEqual(planComments(existing, [part(1, 2, 'a'), part(2, 2, 'B')]), [
      { action: 'update', part: 1, id: 10, body: part(1, 2, 'a') },
      { action: 'update', part: 2, id: 11, body: part(2, 2, 'B') },
      { action: 'delete', id: 12 },
      { action: 'delete', id: 13 },
    ]);
    assert.deepEqual(planComments([{ id: 10, body: part(1, 1, 'a') }], [part(1, 1, 'a')]), []);
  });

  it('apply the plan through the GitHub REST API', async () => {
    // A stand-in for the comments endpoints (GitHub itself cannot run here).
    const comments = new Map<number, string>([[7, 'LGTM'], [8, part(1, 1, 'old')]]);
    const calls: string[] = [];
    let next = 100;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        calls.push(`${req.method} ${req.url}`);
        assert.equal(req.headers.authorization, 'Bearer t0ken');
        const id = Number(req.url!.split('/').pop());
        if (req.method === 'GET') return res.end(JSON.stringify([...comments].map(([i, b]) => ({ id: i, body: b }))));
        if (req.method === 'POST') comments.set(next++, JSON.parse(body).body);
        if (req.method === 'PATCH') comments.set(id, JSON.parse(body).body);
        if (req.method === 'DELETE') comments.delete(id);
        res.statusCode = req.method === 'DELETE' ? 204 : 200;
        res.end(req.method === 'DELETE' ? undefined : '{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await syncComments({ repository: 'o/r', pullRequest: 4, token: 't0ken', apiUrl }, [part(1, 2, 'new'), part(2, 2, 'more')]);
      assert.deepEqual(calls, ['GET /repos/o/r/issues/4/comments?per_page=100&page=1', 'PATCH /repos/o/r/issues/comments/8', 'POST /repos/o/r/issues/4/comments']);
      assert.deepEqual([...comments.values()], ['LGTM', part(1, 2, 'new'), part(2, 2, 'more')]);
    } finally {
      server.close();
    }
  });
});
