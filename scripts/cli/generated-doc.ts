// A generated document: written, or with `check` compared with what is on disk (exit code 1 when stale).
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';

export function writeOrCheckDoc(path: string, text: string, check: boolean, command: string): void {
  const name = relative(process.cwd(), path);
  if (!check) {
    writeFileSync(path, text);
    console.log(`wrote ${path}`);
    return;
  }
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== text) {
    console.error(`${name} is out of date: run ${command}`);
    process.exitCode = 1;
  }
}
