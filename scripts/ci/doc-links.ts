// Relative links in the repository's Markdown (README.md, docs/, apps/, and every other *.md we write):
// each must name a file or folder that exists. Web links and in-page anchors are not checked.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

export interface BrokenLink {
  file: string;
  line: number;
  target: string;
}

/** Folders that hold no Markdown of ours. */
const SKIPPED = new Set(['node_modules', '.git', 'rendered']);

export function markdownFiles(root: string, dir = root): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...markdownFiles(root, path));
    else if (entry.name.endsWith('.md')) out.push(path);
  }
  return out.sort();
}

/** The relative link targets of one Markdown text, with their lines; code spans and fenced blocks are skipped. */
export function relativeLinks(text: string): Array<{ line: number; target: string }> {
  const links: Array<{ line: number; target: string }> = [];
  let fenced = false;
  text.split('\n').forEach((raw, i) => {
    if (/^\s*(```|~~~)/.test(raw)) fenced = !fenced;
    if (fenced) return;
    const line = raw.replace(/`[^`]*`/g, '');
    for (const m of line.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = m[1];
      if (/^(?:[a-z][a-z0-9+.-]*:|#)/i.test(target)) continue;
      links.push({ line: i + 1, target });
    }
  });
  return links;
}

export function brokenLinks(root: string, files = markdownFiles(root)): BrokenLink[] {
  const broken: BrokenLink[] = [];
  for (const file of files) {
    for (const { line, target } of relativeLinks(readFileSync(file, 'utf8'))) {
      const path = decodeURIComponent(target.split('#')[0]);
      if (path === '') continue;
      const resolved = path.startsWith('/') ? join(root, path) : join(dirname(file), path);
      if (!existsSync(resolved)) broken.push({ file: relative(root, file), line, target });
    }
  }
  return broken;
}
