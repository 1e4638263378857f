/**
 * A ModelStore over a local folder, for the tests until the MinIO harness (session contract 5) is merged;
 * same semantics as the S3 store: put replaces, get of a missing key is undefined, list in key order.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { ModelStore } from '../src/model-registry.ts';

export function directoryStore(root: string): ModelStore & { failing: boolean } {
  const store = {
    failing: false,
    async get(key: string) {
      if (store.failing) throw new Error('model store unreachable (test)');
      try {
        return new Uint8Array(await readFile(join(root, key)));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
    },
    async put(key: string, body: Uint8Array | string) {
      if (store.failing) throw new Error('model store unreachable (test)');
      await mkdir(dirname(join(root, key)), { recursive: true });
      await writeFile(join(root, key), body);
    },
    async list(prefix = '') {
      if (store.failing) throw new Error('model store unreachable (test)');
      const out: Array<{ key: string; size: number }> = [];
      const walk = async (dir: string) => {
        for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
          const path = join(dir, e.name);
          if (e.isDirectory()) await walk(path);
          else out.push({ key: relative(root, path), size: (await readFile(path)).length });
        }
      };
      await walk(root);
      return out.filter((o) => o.key.startsWith(prefix)).sort((a, b) => (a.key < b.key ? -1 : 1));
    },
  };
  return store;
}
