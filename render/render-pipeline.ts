// `npm run render` minus the command line. Every environment's model is loaded first (all problems
// at once); then each environment is rendered in memory, checked by the Kafka guards against its
// previous output, and handed to a BackgroundWriter, which stages its new and changed files while
// the next environment renders. When every environment rendered and staged, the staged files are
// committed into rendered/ together (or, with check, compared with it). Otherwise nothing is written.
// prepareRender and writePrepared are the same two halves apart, for a render computed before it is asked for.
// docs/compliance.md is generated with the other docs from compliance/controls.ts and the control catalog.
import { rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { SourceOptions } from './sources.ts';
import { ModelError, type Problem } from '../model/problems.ts';
import { BackgroundWriter } from './background-writer.ts';
import { kafkaTopicGuards } from './kafka-guards.ts';
import { loadEnvironments, type RenderedEnvironment, renderDocs, renderEnvironment } from './render.ts';
import type { LoadedModel } from '../model/loaded.ts';
import { COMPLIANCE_DOC, complianceDoc, controlIdsForRender } from '../compliance/report.ts';
import type { RenderedOutputs } from './last-render.ts';
import { type StagedTree, type TreeDifference, addDifference, commitTrees, compareDocs, compareTree, stagingDir, unchangedTree } from './tree-writer.ts';
import { utcToday } from '../model/today.ts';

export interface RenderTreeOptions {
  envs: readonly string[];
  repoRoot: string;
  renderedDir: string;
  /** Compare with rendered/ instead of writing it. */
  check?: boolean;
  /** Model sources (default: model/ and environments/) and the date waivers are checked against (default: today). */
  load?: SourceOptions;
}

export interface RenderTreeResult {
  /** Files rendered per environment, in the order asked. */
  files: Array<{ env: string; files: number }>;
  /** check only: repository-relative paths that differ from the render. */
  difference?: TreeDifference;
  /** Environments whose rendered/ folder already held exactly their render, left untouched. */
  unchanged?: string[];
  /** Not with check: what the render wrote, for render/last-render.ts. */
  outputs?: RenderedOutputs;
}

/** A render computed in memory and not yet written (scripts/cli/render-daemon prepares one ahead of the request). */
export interface PreparedRender {
  models: LoadedModel[];
  environments: readonly RenderedEnvironment[];
  docs: Map<string, string>;
}

/** Load and render `envs` in memory, docs included; throws loadEnvironments' ModelError. Reads nothing under rendered/. */
export function prepareRender(options: Pick<RenderTreeOptions, 'envs' | 'load'>): PreparedRender {
  const models = loadEnvironments(options.envs, loadOptions(options));
  const compliance = complianceDoc(controlIdsForRender());
  return { models, environments: models.map(renderEnvironment), docs: allDocs(models, compliance) };
}

/** The generated docs: those rendered from the first environment's model, and docs/compliance.md. */
function allDocs(models: LoadedModel[], compliance: string): Map<string, string> {
  return new Map([...renderDocs(models[0]), [COMPLIANCE_DOC, compliance]]);
}

/**
 * Render `envs`; write them into `renderedDir` (only new and changed files, staged apart, then committed) or, with
 * `check`, compare. Throws a ModelError (every environment's problems at once, or the Kafka guards'
 * refusals) or the first RenderConflictError, and then has written nothing.
 */
export async function renderTree(options: RenderTreeOptions): Promise<RenderTreeResult> {
  const models = loadEnvironments(options.envs, loadOptions(options));
  const compliance = complianceDoc(controlIdsForRender());
  // Each environment is rendered as the writer asks for it: a large one is staged on the worker while the next renders.
  const environments = (function* () {
    for (const model of models) yield renderEnvironment(model);
  })();
  return writeRender(options, { models, environments, docs: () => allDocs(models, compliance) });
}

/**
 * A prepared render, written (or compared, with `check`) as renderTree does; the trees are staged on the calling
 * thread. `known`: environment → every file of its folder in rendered/ with its content, where the caller knows
 * them for certain (it wrote them, and they are unchanged since), so that they are not read again.
 */
export async function writePrepared(options: RenderTreeOptions, prepared: PreparedRender, known?: ReadonlyMap<string, ReadonlyMap<string, string>>): Promise<RenderTreeResult> {
  return writeRender(options, { models: prepared.models, environments: prepared.environments, docs: () => prepared.docs, known }, false);
}

function loadOptions(options: Pick<RenderTreeOptions, 'load'>): SourceOptions {
  return { ...options.load, today: options.load?.today ?? utcToday() };
}

interface Rendering {
  models: LoadedModel[];
  environments: Iterable<RenderedEnvironment>;
  docs: () => Map<string, string>;
  known?: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

async function writeRender(options: RenderTreeOptions, rendering: Rendering, background = true): Promise<RenderTreeResult> {
  const { envs, repoRoot, renderedDir, check = false } = options;
  const load = loadOptions(options);
  const staging = stagingDir(renderedDir);
  const writer = new BackgroundWriter(background);
  const refused: Problem[] = [];
  const result: RenderTreeResult = { files: [] };
  const difference: TreeDifference = { changed: [], missing: [], extra: [] };
  let staged = new Map<string, StagedTree>();
  const outputs = { folders: [] as string[], files: new Map<string, string>() };
  if (!check) removeStaging(staging);
  try {
    for (const rendered of rendering.environments) {
      const env = rendered.env;
      refused.push(...kafkaTopicGuards({ environments: [rendered], docs: new Map() }, renderedDir, load));
      if (refused.length > 0) continue;
      result.files.push({ env, files: rendered.files.size });
      const previous = join(renderedDir, env);
      if (check) addDifference(difference, compareTree(previous, rendered.files), relative(repoRoot, previous));
      else {
        writer.write(join(staging, env), rendered.files, previous, rendering.known?.get(env));
        const folder = relative(repoRoot, previous);
        outputs.folders.push(folder);
        for (const [path, content] of rendered.files) outputs.files.set(`${folder}/${path}`, content);
      }
    }
    staged = await writer.finish();
    if (refused.length > 0) throw new ModelError(refused);
  } catch (error) {
    await writer.finish().catch(() => {});
    if (!check) removeStaging(staging);
    throw error;
  }
  const docs = rendering.docs();
  if (check) {
    addDifference(difference, compareDocs(repoRoot, docs), '');
    return { ...result, difference };
  }
  const trees = new Map(envs.map((env) => [env, staged.get(join(staging, env))!]));
  const unchanged = envs.filter((env) => unchangedTree(trees.get(env)!));
  commitTrees(repoRoot, renderedDir, staging, trees, docs);
  for (const [path, content] of docs) outputs.files.set(path, content);
  return { ...result, unchanged, outputs };
}

function removeStaging(staging: string): void {
  rmSync(staging, { recursive: true, force: true });
}
