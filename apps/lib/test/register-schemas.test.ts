/**
 * register-schemas.ts, the Schema Registry's PostSync Job, against a local stand-in of the part of
 * Apicurio Registry 3's REST API it uses (create-or-find a version, per-artifact rules), fed the
 * artifacts rendered for dev. Apicurio itself does not run on this machine: this proves the requests
 * and the handling of the answers, not the registry (docs/event-contracts.md).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { freePort } from '../../../scripts/harness/process.ts';
import { readArtifacts, registerAll } from '../register-schemas.ts';

const REPO = resolve(import.meta.dirname, '../../..');
const run = promisify(execFile);

/** Apicurio v3's answers for what the Job asks, kept in memory: groups → artifacts → versions (content) and rules. */
function apicurioStandIn(): { server: Server; requests: string[]; versions: Map<string, Map<string, string>> } {
  const versions = new Map<string, Map<string, string>>();
  const rules = new Set<string>();
  const requests: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      requests.push(`${req.method} ${req.url}`);
      const json = (status: number, value?: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(value === undefined ? '' : JSON.stringify(value));
      const url = new URL(req.url ?? '/', 'http://x');
      const create = /^\/apis\/registry\/v3\/groups\/([^/]+)\/artifacts$/.exec(url.pathname);
      const rule = /^\/apis\/registry\/v3\/groups\/([^/]+)\/artifacts\/([^/]+)\/rules$/.exec(url.pathname);
      if (req.method === 'POST' && create && url.searchParams.get('ifExists') === 'FIND_OR_CREATE_VERSION') {
        const b = JSON.parse(body) as { artifactId: string; artifactType: string; firstVersion: { version: string; content: { content: string; contentType: string } } };
        if (b.artifactType !== 'JSON' || b.firstVersion.content.contentType !== 'application/json') return json(400, { title: 'bad artifact type' });
        const key = `${decodeURIComponent(create[1])}/${b.artifactId}`;
        const held = versions.get(key) ?? new Map<string, string>();
        versions.set(key, held);
        const same = [...held].find(([, c]) => c === b.firstVersion.content.content);
        if (same) return json(200, { artifact: { artifactId: b.artifactId }, version: { version: same[0] } });
        if (held.has(b.firstVersion.version)) return json(409, { title: 'VersionAlreadyExistsException', detail: `version ${b.firstVersion.version} exists` });
        held.set(b.firstVersion.version, b.firstVersion.content.content);
        return json(200, { artifact: { artifactId: b.artifactId }, version: { version: b.firstVersion.version } });
      }
      if (req.method === 'POST' && rule) {
        const key = `${rule[1]}/${rule[2]}`;
        if (rules.has(key)) return json(409, { title: 'RuleAlreadyExistsException' });
        rules.add(key);
        return json(204);
      }
      json(404, { title: 'not found' });
    });
  });
  return { server, requests, versions };
}

describe('register-schemas.ts (the Schema Registry PostSync Job)', () => {
  const standIn = apicurioStandIn();
  let url = '';
  let dir = '';
  before(async () => {
    await new Promise<void>((r) => standIn.server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(standIn.server.address() as { port: number }).port}`;
    // The artifacts exactly as rendered for dev (the ConfigMap the Job mounts).
    const cm = parse(readFileSync(join(REPO, 'rendered/dev/tenants/gamemetrics/gamemetrics/configmap-schema-registry-artifacts.yaml'), 'utf8'));
    dir = mkdtempSync(join(tmpdir(), 'gm-artifacts-'));
    for (const [file, text] of Object.entries(cm.data as Record<string, string>)) writeFileSync(join(dir, file), text);
  });
  after(() => {
    standIn.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('registers every rendered artifact at its locked version with a BACKWARD rule; a second run changes nothing', async () => {
    const artifacts = readArtifacts(dir);
    assert.deepEqual(artifacts.map((a) => a.artifactId), ['gdpr.deletion.requests', 'notifications.outbound', 'player.events.processed', 'player.events.raw', 'recommendations.generated']);
    const lock = JSON.parse(readFileSync(join(REPO, 'model/topic-schemas.lock.json'), 'utf8')) as Record<string, { version: number; schema: unknown }>;
    for (const a of artifacts) {
      assert.equal(a.groupId, 'gamemetrics');
      assert.equal(a.version, String(lock[a.artifactId].version));
      assert.deepEqual(a.schema, lock[a.artifactId].schema);
    }
    const first = await registerAll(url, artifacts);
    assert.equal(first.length, 5);
    assert.equal(standIn.requests.filter((r) => r.endsWith('/rules')).length, 5);
    const stored = [...standIn.versions].map(([k, v]) => [k, [...v.keys()]]);
    await registerAll(url, artifacts);
    assert.deepEqual([...standIn.versions].map(([k, v]) => [k, [...v.keys()]]), stored, 'nothing new the second time');
  });

  test('a version number the registry holds with other content fails, naming the artifact; the others still register', async () => {
    const [one, ...rest] = readArtifacts(dir);
    const changed = { ...one, schema: { ...one.schema, description: 'edited without a new version' } };
    await assert.rejects(registerAll(url, [changed, ...rest]), (e: Error) => {
      assert.match(e.message, /^1 of 5 schemas not registered:\n {2}- gamemetrics\/gdpr\.deletion\.requests version 1: the registry refused it \(HTTP 409: version 1 exists\)$/);
      return true;
    });
  });

  test('as the Job runs it: exit 0 and one log line per schema; no registry: exit 1 naming each artifact', async () => {
    const script = join(REPO, 'apps/lib/register-schemas.ts');
    const ok = await run(process.execPath, [script, dir], { env: { PATH: process.env.PATH, SCHEMA_REGISTRY_URL: url } });
    assert.equal(ok.stdout.trim().split('\n').map((l) => JSON.parse(l).artifactId).length, 5);
    const down = await run(process.execPath, [script, dir], { env: { PATH: process.env.PATH, SCHEMA_REGISTRY_URL: `http://127.0.0.1:${await freePort()}` } }).catch((e) => e);
    assert.equal(down.code, 1);
    assert.match(down.stderr, /^5 of 5 schemas not registered:/);
    assert.match(down.stderr, /- gamemetrics\/player\.events\.raw version 1: the registry did not answer \(ECONNREFUSED\)/);
    const usage = await run(process.execPath, [script], { env: { PATH: process.env.PATH } }).catch((e) => e);
    assert.equal(usage.code, 64);
  });
});
