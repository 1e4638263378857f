// The review diff as pull-request comments that are updated in place: each part carries a hidden
// marker (`<!-- gamemetrics-diff part i/n -->`); a new run edits the parts that exist, adds the
// missing ones and deletes the surplus, so a PR always shows one current diff.
import { COMMENT_MARKER } from './markdown-split.ts';

export interface ExistingComment {
  id: number;
  body: string;
}

export type CommentAction =
  | { action: 'create'; part: number; body: string }
  | { action: 'update'; part: number; id: number; body: string }
  | { action: 'delete'; id: number };

const markerPattern = new RegExp(`<!-- ${COMMENT_MARKER} part (\\d+)/\\d+ -->`);

/** The part number of one of our comments, or undefined for anyone else's. */
export function partOf(body: string): number | undefined {
  const match = markerPattern.exec(body);
  return match ? Number(match[1]) : undefined;
}

/** What to do so the PR shows exactly `parts`, reusing our existing comments in order. */
export function planComments(existing: ExistingComment[], parts: string[]): CommentAction[] {
  const ours = new Map<number, ExistingComment>();
  const actions: CommentAction[] = [];
  for (const comment of [...existing].sort((a, b) => a.id - b.id)) {
    const part = partOf(comment.body);
    if (part === undefined) continue;
    if (ours.has(part) || part > parts.length) actions.push({ action: 'delete', id: comment.id });
    else ours.set(part, comment);
  }
  const writes = parts.flatMap((body, i): CommentAction[] => {
    const comment = ours.get(i + 1);
    if (!comment) return [{ action: 'create', part: i + 1, body }];
    return comment.body === body ? [] : [{ action: 'update', part: i + 1, id: comment.id, body }];
  });
  return [...writes, ...actions];
}

export interface GitHubTarget {
  /** `owner/name`. */
  repository: string;
  pullRequest: number;
  token: string;
  /** @default https://api.github.com */
  apiUrl?: string;
}

/** Apply the plan through the GitHub REST API; returns the actions taken. */
export async function syncComments(target: GitHubTarget, parts: string[]): Promise<CommentAction[]> {
  const api = target.apiUrl ?? 'https://api.github.com';
  const request = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${api}${path}`, {
      method,
      headers: { authorization: `Bearer ${target.token}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`GitHub API ${method} ${path}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? undefined : response.json();
  };
  const existing: ExistingComment[] = [];
  for (let page = 1; ; page++) {
    const batch = (await request('GET', `/repos/${target.repository}/issues/${target.pullRequest}/comments?per_page=100&page=${page}`)) as ExistingComment[];
    existing.push(...batch.map((c) => ({ id: c.id, body: c.body ?? '' })));
    if (batch.length < 100) break;
  }
  const plan = planComments(existing, parts);
  for (const step of plan) {
    if (step.action === 'create') await request('POST', `/repos/${target.repository}/issues/${target.pullRequest}/comments`, { body: step.body });
    else if (step.action === 'update') await request('PATCH', `/repos/${target.repository}/issues/comments/${step.id}`, { body: step.body });
    else await request('DELETE', `/repos/${target.repository}/issues/comments/${step.id}`);
  }
  return plan;
}
