// Worker thread of the parallel validator: parses and validates a share of the files, posts the findings back.
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { displayPath, parseDocs, type Doc } from './documents.ts';
import { envNameOfFile } from './model-context.ts';
import { loadSchemas } from './schema/compile.ts';
import { schemaKeys, validateDocument } from './validate.ts';
import type { ParallelJob, ParallelResult } from './validate-parallel.ts';

const job = workerData as ParallelJob;
const result: ParallelResult = { docs: [], findings: [], problems: [] };
const parsed: Array<{ doc: Doc; minor: number }> = [];
for (const file of job.files) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    result.problems.push(`${displayPath(file)}: cannot read: ${(e as Error).message}`);
    continue;
  }
  const minor = job.minorByEnv[envNameOfFile(file) ?? job.defaultEnv] ?? job.defaultMinor;
  for (const doc of parseDocs(displayPath(file), text, result.problems)) {
    result.docs.push({ file: doc.file, index: doc.index, ref: doc.ref });
    parsed.push({ doc, minor });
  }
}
const schemas = await loadSchemas(schemaKeys(parsed.map((p) => p.doc)));
for (const { doc, minor } of parsed) result.findings.push(...validateDocument(schemas, doc, minor));
parentPort!.postMessage(result);
