// Writes each kind's schema as a standalone JSON schema file (only the definitions it reaches), for tools that
// read schema files, such as kubeconform: `<dir>/<group>-<version>-<kind lowercase>.json`. kubeconform names the
// core group after its version (`v1-v1-pod.json`).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KindSchemaBundle } from './extract.ts';

/** kubeconform `-schema-location` template matching the exported file names. */
export const KUBECONFORM_TEMPLATE = '{{ .Group }}-{{ .ResourceAPIVersion }}-{{ .ResourceKind }}.json';

export function exportKindSchemas(bundle: KindSchemaBundle, dir: string): number {
  mkdirSync(dir, { recursive: true });
  const allDefs: Record<string, object> = { ...bundle.defs };
  for (const [key, schema] of Object.entries(bundle.kinds)) allDefs[`kind:${key.replace(/\//g, ':')}`] = schema;
  let n = 0;
  for (const [key, schema] of Object.entries(bundle.kinds)) {
    const parts = key.split('/');
    const kind = parts.pop()!;
    const version = parts.pop()!;
    const group = parts.join('/') || version;
    const defs: Record<string, object> = {};
    const pending = [schema];
    while (pending.length) {
      const s = pending.pop();
      for (const m of JSON.stringify(s).matchAll(/"\$ref":"#\/\$defs\/([^"/]+)/g)) {
        if (!defs[m[1]] && allDefs[m[1]]) {
          defs[m[1]] = allDefs[m[1]];
          pending.push(allDefs[m[1]]);
        }
      }
    }
    writeFileSync(join(dir, `${group}-${version}-${kind.toLowerCase()}.json`), JSON.stringify({ ...schema, $defs: defs }));
    n++;
  }
  return n;
}
