/**
 * Registers topic schemas in an Apicurio Registry 3 (REST API v3), as the Schema Registry's PostSync
 * Job runs it: `node /app/apps/lib/register-schemas.ts <artifacts folder>` with SCHEMA_REGISTRY_URL
 * set. Each `*.json` file of the folder (the rendered `schema-registry-artifacts` ConfigMap) is one
 * artifact `{ groupId, artifactId, version, schema }`: the topic's schema at its locked version.
 *
 * Per artifact: create it, or add the version if the artifact exists, or find the version if it holds
 * the same content (`ifExists=FIND_OR_CREATE_VERSION`), so a re-run changes nothing; then make sure the
 * artifact has a BACKWARD compatibility rule. A version number already taken by other content, or a
 * version the registry's rule refuses, is an error naming the artifact. Every artifact is tried; the
 * exit status is 1 if any failed. Node built-ins only: it runs from any service image.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Artifact {
  groupId: string;
  artifactId: string;
  version: string;
  schema: Record<string, unknown>;
}

export interface Registered {
  groupId: string;
  artifactId: string;
  version: string;
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

async function call(url: string, method: string, body: unknown, timeoutMs: number): Promise<{ status: number; body: Record<string, unknown> }> {
  let res: Response;
  try {
    res = await fetch(url, { method, headers: JSON_HEADERS, body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    const cause = (e as Error & { cause?: { code?: string; message?: string; errors?: Array<{ code?: string }> } }).cause;
    throw new Error(`the registry did not answer (${cause?.code || cause?.errors?.[0]?.code || cause?.message || (e as Error).message})`);
  }
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = { detail: text.slice(0, 200) };
  }
  return { status: res.status, body: parsed };
}

const describe = (r: { status: number; body: Record<string, unknown> }) => `HTTP ${r.status}${r.body.detail || r.body.title ? `: ${String(r.body.detail ?? r.body.title)}` : ''}`;

export async function registerArtifact(baseUrl: string, a: Artifact, timeoutMs = 10_000): Promise<Registered> {
  const group = `${baseUrl}/apis/registry/v3/groups/${encodeURIComponent(a.groupId)}/artifacts`;
  const content = JSON.stringify(a.schema);
  const where = `${a.groupId}/${a.artifactId} version ${a.version}`;
  const created = await call(`${group}?ifExists=FIND_OR_CREATE_VERSION`, 'POST', {
    artifactId: a.artifactId,
    artifactType: 'JSON',
    firstVersion: { version: a.version, content: { content, contentType: 'application/json' } },
  }, timeoutMs).catch((e: Error) => {
    throw new Error(`${where}: ${e.message}`);
  });
  if (created.status !== 200) throw new Error(`${where}: the registry refused it (${describe(created)})`);
  const version = (created.body.version as { version?: string } | undefined)?.version;
  if (version !== a.version)
    throw new Error(`${a.groupId}/${a.artifactId}: the registry holds this content as version ${version}, not ${a.version}: the registry and model/topic-schemas.lock.json disagree`);
  const rule = await call(`${group}/${encodeURIComponent(a.artifactId)}/rules`, 'POST', { ruleType: 'COMPATIBILITY', config: 'BACKWARD' }, timeoutMs).catch((e: Error) => {
    throw new Error(`${where}: ${e.message}`);
  });
  if (rule.status !== 204 && rule.status !== 200 && rule.status !== 409) throw new Error(`${a.groupId}/${a.artifactId}: cannot set its compatibility rule (${describe(rule)})`);
  return { groupId: a.groupId, artifactId: a.artifactId, version: a.version };
}

/** The artifacts of a folder, sorted by file name; a file that is not an artifact is an error naming it. */
export function readArtifacts(dir: string): Artifact[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const a = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Partial<Artifact>;
      if (typeof a.groupId !== 'string' || typeof a.artifactId !== 'string' || typeof a.version !== 'string' || typeof a.schema !== 'object' || a.schema === null)
        throw new Error(`${f}: not an artifact ({ groupId, artifactId, version, schema })`);
      return a as Artifact;
    });
}

/** Register every artifact; resolves with what was registered, rejects listing every failure. */
export async function registerAll(baseUrl: string, artifacts: Artifact[]): Promise<Registered[]> {
  const results = await Promise.allSettled(artifacts.map((a) => registerArtifact(baseUrl.replace(/\/$/, ''), a)));
  const failed = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : []));
  if (failed.length > 0) throw new Error(`${failed.length} of ${artifacts.length} schemas not registered:\n${failed.map((f) => `  - ${f}`).join('\n')}`);
  return results.map((r) => (r as PromiseFulfilledResult<Registered>).value);
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const dir = process.argv[2];
  const url = process.env.SCHEMA_REGISTRY_URL;
  if (!dir || !url) {
    process.stderr.write('usage: SCHEMA_REGISTRY_URL=http://<registry>:8080 node register-schemas.ts <artifacts folder>\n');
    process.exit(64);
  }
  try {
    for (const r of await registerAll(url, readArtifacts(dir))) process.stdout.write(`${JSON.stringify({ msg: 'schema registered', ...r })}\n`);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  }
}
