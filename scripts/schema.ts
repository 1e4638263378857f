// npm run schema: regenerate model/schema/model.schema.json from the types in model/spec.ts (the test
// model/schema/schema.test.ts fails while the committed schema is stale).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSchema, schemaText } from '../model/schema/generate.ts';
import { SCHEMA_FILE } from '../model/schema/schema-file.ts';
import { parseCommand } from './cli/command.ts';

parseCommand({
  name: 'schema',
  usage: `Usage: npm run schema

Regenerates ${SCHEMA_FILE} from the types in model/spec.ts, after a change to the model's types.
The loader validates every model against it; a test fails while the committed schema is stale.`,
  options: {},
});

const repoRoot = join(import.meta.dirname, '..');
const target = join(repoRoot, SCHEMA_FILE);
const text = schemaText(generateSchema(repoRoot));
let current = '';
try {
  current = readFileSync(target, 'utf8');
} catch {
  // Not written yet.
}
if (current === text) {
  console.log(`${SCHEMA_FILE} is up to date`);
} else {
  writeFileSync(target, text);
  console.log(`wrote ${SCHEMA_FILE}`);
}
