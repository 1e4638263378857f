// Promotion: copy pinned image digests, and only those, from one environment's images.ts to the
// next, refusing what would ship something the source environment does not run, and returning the
// rendered diff it causes.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EnvironmentSpec } from '../../model/spec.ts';
import { compareSnapshots } from '../diff/compare.ts';
import type { DiffReport, Snapshot } from '../diff/types.ts';
import { imagesPath, parseImages, writeDigests } from './images-file.ts';
import { runningDigests } from './running-images.ts';

export interface PromoteRequest {
  /** Repository root. */
  repo: string;
  /** Services to promote (optionally `service@sha256:…` to state the digest expected), or 'all'. */
  services: string[] | 'all';
  from: string;
  to: string;
  /** Allow skipping an environment, or promoting backwards (a rollback). */
  force?: boolean;
  /** Compute and report, but do not write the file. */
  dryRun?: boolean;
}

export interface PromotedDigest {
  service: string;
  before: string | null;
  after: string;
}

export interface PromoteResult {
  /** Repository-relative path of the edited file. */
  file: string;
  promoted: PromotedDigest[];
  /** Services whose digest was already the source's. */
  unchanged: string[];
  report: DiffReport;
}

export class PromotionError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`promotion refused:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PromotionError';
    this.problems = problems;
  }
}

type RenderModule = typeof import('../../render/render.ts');
type EnvironmentsModule = typeof import('../../environments/index.ts');

const short = (digest: string) => digest.replace(/^sha256:/, '').slice(0, 12);

/** `--from build`: digests CI has just built, scanned and signed, each stated as `service@sha256:…`, into the first environment only. */
export const BUILD_SOURCE = 'build';
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** A promotion of freshly built digests: into the first environment, every service with a well-formed digest it already pins an image for. */
function buildPlan(request: PromoteRequest, order: string[], targetImages: Record<string, string>): PromotedDigest[] {
  const problems: string[] = [];
  if (request.to !== order[0]) problems.push(`a build is promoted into ${order[0]} only, not "${request.to}": later environments get it by promotion from ${order[0]}`);
  if (request.services === 'all') problems.push('--from build needs each service with its digest (service@sha256:…), not --all');
  const promoted: PromotedDigest[] = [];
  for (const entry of request.services === 'all' ? [] : request.services) {
    const at = entry.indexOf('@');
    const [service, digest] = at === -1 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
    if (!DIGEST.test(digest)) problems.push(`${entry}: state the built digest as ${service}@sha256:<64 hex digits>`);
    else if (targetImages[service] === undefined) problems.push(`"${service}" has no digest in ${imagesPath(request.to)}; known services: ${Object.keys(targetImages).sort().join(', ')}`);
    else promoted.push({ service, before: targetImages[service], after: digest });
  }
  if (problems.length > 0) throw new PromotionError(problems);
  return promoted;
}

/** Check the request against the environment order and what the source runs; all problems at once. */
function plan(request: PromoteRequest, order: string[], sourceImages: Record<string, string>, targetImages: Record<string, string>): PromotedDigest[] {
  const { from, to } = request;
  const problems: string[] = [];
  for (const env of [from, to]) if (!order.includes(env)) problems.push(`unknown environment "${env}": the environments are ${order.join(' → ')}`);
  if (problems.length > 0) throw new PromotionError(problems);
  if (from === to) throw new PromotionError([`--from and --to are both "${from}": promote from one environment to the next (${order.join(' → ')})`]);
  const step = order.indexOf(to) - order.indexOf(from);
  if (step > 1 && !request.force) {
    const skipped = order.slice(order.indexOf(from) + 1, order.indexOf(to));
    problems.push(`${from} → ${to} skips ${skipped.join(', ')}: promote ${from} → ${skipped[0]} first, or pass --force to skip on purpose`);
  }
  if (step < 0 && !request.force) problems.push(`${from} → ${to} goes backwards (the order is ${order.join(' → ')}): pass --force for a deliberate rollback`);

  const running = runningDigests(request.repo, from);
  const wanted = request.services === 'all' ? Object.keys(sourceImages).map((s) => ({ service: s, digest: undefined as string | undefined })) :
    request.services.map((entry) => {
      const at = entry.indexOf('@');
      return at === -1 ? { service: entry, digest: undefined } : { service: entry.slice(0, at), digest: entry.slice(at + 1) };
    });
  if (wanted.length === 0) problems.push('name the services to promote, or pass --all');
  const promoted: PromotedDigest[] = [];
  for (const { service, digest: stated } of wanted) {
    const pinned = sourceImages[service];
    if (pinned === undefined) {
      problems.push(`"${service}" has no digest in ${imagesPath(from)}; known services: ${Object.keys(sourceImages).sort().join(', ')}`);
      continue;
    }
    const runs = running.get(service);
    if (stated !== undefined && stated !== pinned) {
      problems.push(`${from} does not run ${service}@${stated}: it pins ${pinned}`);
      continue;
    }
    if (!runs || runs.size === 0) {
      problems.push(`${from} does not run ${service}: rendered/${from}/ has no workload for it (run npm run render, and merge the change that adds it)`);
      continue;
    }
    if (!runs.has(pinned)) {
      problems.push(`${from} does not run ${service}@${short(pinned)}: ${imagesPath(from)} pins it, but rendered/${from}/ runs ${[...runs].map(short).join(', ')} ` +
        `(render and merge the ${from} change first; only a digest the source environment runs can be promoted)`);
      continue;
    }
    promoted.push({ service, before: targetImages[service] ?? null, after: pinned });
  }
  if (problems.length > 0) throw new PromotionError(problems);
  return promoted;
}

/** The target environment rendered in memory with the given images (both sides from this repository's model). */
function renderWith(render: RenderModule, specs: readonly EnvironmentSpec[], env: string, images: Record<string, string>, label: string): Snapshot {
  const environments = specs.map((e) => (e.name === env ? { ...e, images: images as EnvironmentSpec['images'] } : e));
  const result = render.renderAll([env], { environments });
  return {
    label,
    stale: [],
    environments: result.environments.map((e) => ({ env: e.env, tier: e.model.environment.tier, files: e.files, waivers: e.model.policies.waivers })),
  };
}

/** Promote; writes environments/<to>/images.ts unless `dryRun`. */
export async function promote(request: PromoteRequest): Promise<PromoteResult> {
  const { repo, from, to } = request;
  const { environments } = (await import(pathToFileURL(join(repo, 'environments', 'index.ts')).href)) as EnvironmentsModule;
  const order = environments.map((e) => e.name);
  const read = (env: string) => {
    const path = imagesPath(env);
    const content = readFileSync(join(repo, path), 'utf8');
    return { path, content, images: parseImages(path, content) };
  };
  if (from === BUILD_SOURCE && !order.includes(to)) throw new PromotionError([`unknown environment "${to}": the environments are ${order.join(' → ')}`]);
  if (from !== BUILD_SOURCE && (!order.includes(from) || !order.includes(to))) plan(request, order, {}, {});
  const target = read(to);
  const planned = from === BUILD_SOURCE ? buildPlan(request, order, target.images) : plan(request, order, read(from).images, target.images);
  const promoted = planned.filter((p) => p.before !== p.after);
  const unchanged = planned.filter((p) => p.before === p.after).map((p) => p.service);
  const after = { ...target.images, ...Object.fromEntries(promoted.map((p) => [p.service, p.after])) };

  // Environment specs with the images as the files say now (the imported modules may predate an edit).
  const specs = environments.map((e) => (e.name === to ? { ...e, images: target.images as EnvironmentSpec['images'] } : e));
  const render = (await import(pathToFileURL(join(repo, 'render', 'render.ts')).href)) as RenderModule;
  const report = compareSnapshots(
    renderWith(render, specs, to, target.images, `${to} before`),
    renderWith(render, specs, to, after, `${to} after promoting from ${from}`),
  );
  if (promoted.length > 0 && !request.dryRun) {
    writeFileSync(join(repo, target.path), writeDigests(target.path, target.content, Object.fromEntries(promoted.map((p) => [p.service, p.after]))));
  }
  return { file: target.path, promoted, unchanged, report };
}
