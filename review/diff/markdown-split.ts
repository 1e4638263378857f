// Packs markdown blocks into comments below GitHub's size limit (65,536 characters per comment).
// Blocks are never cut in the middle; a block too large for one comment has its body truncated
// with a note, so every comment stays valid markdown (closed fences and <details>).

export const GITHUB_COMMENT_LIMIT = 65_536;
/** Hidden marker at the top of every part: CI finds its own comments by it and updates them in place. */
export const COMMENT_MARKER = 'gamemetrics-diff';

export interface MarkdownBlock {
  /** Opening text, e.g. `<details><summary>…</summary>\n\n```diff\n`. */
  head: string;
  /** Lines that may be dropped from the end when the block alone is too large. */
  body: string[];
  /** Closing text, e.g. "```\n</details>\n". */
  tail: string;
  /** Heading repeated (with "continued") when a part starts inside this section. */
  section?: string;
}

export const markerLine = (part: number, parts: number) => `<!-- ${COMMENT_MARKER} part ${part}/${parts} -->`;

const blockText = (b: MarkdownBlock) => b.head + b.body.map((l) => `${l}\n`).join('') + b.tail;

function shrink(block: MarkdownBlock, budget: number): MarkdownBlock {
  const body: string[] = [];
  let size = block.head.length + block.tail.length + 120;
  for (const line of block.body) {
    if (size + line.length + 1 > budget) break;
    body.push(line);
    size += line.length + 1;
  }
  const dropped = block.body.length - body.length;
  return { ...block, body: [...body, `… ${dropped} more line${dropped === 1 ? '' : 's'} not shown: run npm run diff locally for everything`] };
}

/** Pack `blocks`, in order, into parts of at most `limit` characters each, every part starting with its marker line. */
export function splitMarkdown(blocks: MarkdownBlock[], limit = GITHUB_COMMENT_LIMIT): string[] {
  const budget = limit - markerLine(999, 999).length - 1;
  const parts: string[] = [];
  let current = '';
  let section: string | undefined;
  for (const original of blocks) {
    let heading = original.section && original.section !== section ? `${original.section}\n\n` : '';
    if (current.length > 0 && current.length + heading.length + blockText(original).length > budget) {
      parts.push(current);
      current = '';
      if (original.section && !heading) heading = `${original.section} (continued)\n\n`;
    }
    const room = budget - current.length - heading.length;
    const block = blockText(original).length > room ? shrink(original, room) : original;
    current += heading + blockText(block);
    section = original.section;
  }
  if (current.length > 0 || parts.length === 0) parts.push(current);
  return parts.map((part, i) => `${markerLine(i + 1, parts.length)}\n${part}`);
}
