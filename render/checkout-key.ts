// A short name for a checkout, for its files in a node_modules/.cache that checkouts may share (scratch copies
// link the repository's node_modules): the render's record and the render daemon's socket. No imports, so that
// the render command's first step stays cheap.

/** FNV-1a of the checkout's path, as 8 hex digits (no node:crypto to load). */
export function checkoutKey(repoRoot: string): string {
  let fnv = 0x811c9dc5;
  for (let i = 0; i < repoRoot.length; i++) fnv = Math.imul(fnv ^ repoRoot.charCodeAt(i), 0x01000193) >>> 0;
  return fnv.toString(16).padStart(8, '0');
}
