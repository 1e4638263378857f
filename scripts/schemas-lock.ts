// npm run schemas:lock: record the model's topic schemas in model/topic-schemas.lock.json, the last
// accepted version of each, which `npm run render` checks changes against (docs/event-contracts.md).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { platform } from '../model/platform.ts';
import { compareWithLock, SCHEMA_LOCK_FILE, schemaShapeIssues, type SchemaLock } from '../model/schema-evolution.ts';
import { readSchemaLock } from '../render/sources.ts';
import { parseCommand } from './cli/command.ts';

const args = parseCommand({
  name: 'schemas:lock',
  usage: `Usage: npm run schemas:lock [-- --accept-breaking <topic> ...]

Writes ${SCHEMA_LOCK_FILE}: each topic's schema from the model, its version raised by one where it changed.
A backward-incompatible change is refused (topic and field named, exit 1) unless its topic is named with
--accept-breaking, for a break reviewed with every consumer's owner. Review the lock's diff before committing.`,
  options: { 'accept-breaking': { type: 'string', multiple: true } },
});

const accepted = new Set(args.values['accept-breaking'] ?? []);
const previous = readSchemaLock();
const next: SchemaLock = {};
const problems: string[] = [];
for (const [topic, spec] of Object.entries(platform.topics).sort(([a], [b]) => (a < b ? -1 : 1))) {
  if (!spec.schema) continue;
  for (const issue of schemaShapeIssues(spec.schema)) problems.push(`topics['${topic}'].schema: field "${issue.field}" ${issue.message}`);
  const verdict = compareWithLock(spec.schema, previous[topic]);
  if (verdict.status === 'breaking' && !accepted.has(topic))
    for (const issue of verdict.issues)
      problems.push(`topics['${topic}'].schema: backward-incompatible with version ${verdict.version}: field "${issue.field}" ${issue.message} (to accept after review: --accept-breaking ${topic})`);
  const version = verdict.status === 'new' ? 1 : verdict.status === 'same' ? verdict.version : verdict.version + 1;
  next[topic] = { version, schema: spec.schema };
}
if (problems.length > 0) {
  process.stderr.write(`schemas:lock: ${SCHEMA_LOCK_FILE} not written (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
  process.exit(1);
}
writeFileSync(join(import.meta.dirname, '..', SCHEMA_LOCK_FILE), `${JSON.stringify(next, null, 2)}\n`);
const changed = Object.keys(next).filter((t) => previous[t]?.version !== next[t].version);
process.stdout.write(`${SCHEMA_LOCK_FILE}: ${Object.keys(next).length} topics${changed.length ? `; new versions: ${changed.map((t) => `${t} v${next[t].version}`).join(', ')}` : ', unchanged'}\n`);
