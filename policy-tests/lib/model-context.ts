// Ties documents to the platform model: which environment a file belongs to, its tier, Kubernetes version,
// approved registries and waivers.
//
// The rule for files: `rendered/<env>/...` belongs to environment <env>. Any other file (hand-written YAML, a
// folder from elsewhere) belongs to the environment named by `--env`, or else to the "model default":
// checked as production (the strictest tier), with the platform's approved registries, and only the model
// waivers that apply to every environment.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Doc } from './documents.ts';
import { collectFiles, displayPath, InputError } from './documents.ts';
import type { DocEnv } from './rule.ts';
import type { ModelWaiver } from './waivers.ts';
import { REPO_ROOT } from './schema/compile.ts';
import type { LoadedModel } from '../../model/loaded.ts';
import { externalsIn } from '../../model/load/externals.ts';
import { REGIONS_FOLDER } from '../../model/load/regions.ts';
import { formatProblem, type Problem } from '../../model/problems.ts';

export const DEFAULT_KUBERNETES_VERSION = '1.34';
/** Environment whose model settings apply to files outside `rendered/<env>/` when no --env is given. */
export const DEFAULT_ENV = 'prod';

export interface ContextOptions {
  /** Environment for files outside `rendered/<env>/`. */
  env?: string;
  /** Overrides the model's approved registries everywhere. */
  approvedRegistries?: string[];
  /** Overrides the environment's Kubernetes version (`1.34`). */
  kubernetesVersion?: string;
  /** Skip the model entirely (tests of arbitrary YAML). */
  noModel?: boolean;
}

/** What the context needs of a document: its file. */
export type Located = Pick<Doc, 'file'>;

export interface DocContext {
  envOf(doc: Located): DocEnv;
  kubernetesMinor(doc: Located): number;
  /** Model waivers that apply to at least one document's environment. */
  waivers: ModelWaiver[];
  notes: string[];
}

export function envNameOfFile(file: string): string | null {
  const m = /(?:^|[/\\])rendered[/\\]([^/\\]+)[/\\]/.exec(file);
  return m ? m[1] : null;
}

/** The further region of a file under `rendered/<env>/regions/<region>/`, or null. */
export function regionOfFile(file: string): string | null {
  const m = new RegExp(`(?:^|[/\\\\])rendered[/\\\\][^/\\\\]+[/\\\\]${REGIONS_FOLDER}[/\\\\]([^/\\\\]+)[/\\\\]`).exec(file);
  return m ? m[1] : null;
}

/** The `…/rendered/<env>/` folder a file lies in, or null. */
function renderedFolderOf(file: string): string | null {
  const m = /(?:^|[/\\])rendered[/\\][^/\\]+[/\\]/.exec(file);
  return m ? file.slice(0, m.index + m[0].length) : null;
}

/** For each rendered/<env>/ folder the documents come from: whether they include every YAML file in it. */
function completeFolders(docs: Located[]): Map<string, boolean> {
  const given = new Set(docs.map((d) => d.file));
  const out = new Map<string, boolean>();
  for (const folder of new Set(docs.map((d) => renderedFolderOf(d.file)).filter((f): f is string => f !== null))) {
    out.set(folder, collectFiles([folder]).every((f) => given.has(displayPath(f))));
  }
  return out;
}

type Loader = { tryLoadModel(env: string): { model: LoadedModel } | { problems: Problem[] }; environmentNames(): string[] };

async function importLoader(): Promise<Loader | null> {
  const path = join(REPO_ROOT, 'render', 'sources.ts');
  if (!existsSync(path)) return null;
  return (await import(path)) as Loader;
}

/** The model's environment names, or null without a model (policy-tests used on their own). */
export async function modelEnvironments(): Promise<string[] | null> {
  return (await importLoader())?.environmentNames() ?? null;
}

function minorOf(version: string): number {
  const m = /^1\.(\d+)$/.exec(version.trim());
  if (!m) throw new InputError([`Kubernetes version "${version}" is not of the form 1.<minor> (e.g. 1.34)`]);
  return Number(m[1]);
}

export async function buildContext(docs: Located[], opts: ContextOptions): Promise<DocContext> {
  const notes: string[] = [];
  const loader = opts.noModel ? null : await importLoader();
  const models = new Map<string, LoadedModel>();
  const problems: string[] = [];
  const model = (env: string): LoadedModel | null => {
    if (!loader) return null;
    if (!models.has(env)) {
      const r = loader.tryLoadModel(env);
      if ('problems' in r) {
        problems.push(`the model for environment ${env} is invalid (run npm run model -- --env ${env}):`, ...r.problems.map((p) => `  ${formatProblem(p)}`));
        return null;
      }
      models.set(env, r.model);
    }
    return models.get(env)!;
  };
  const envNames = new Set<string>();
  for (const d of docs) envNames.add(envNameOfFile(d.file) ?? opts.env ?? DEFAULT_ENV);
  for (const e of envNames) model(e);
  if (problems.length) throw new InputError(problems);
  if (!loader && !opts.noModel) notes.push('model/loader.ts not found: no model registries or waivers');
  if (docs.some((d) => !envNameOfFile(d.file)) && !opts.env && loader) {
    notes.push(`files outside rendered/<env>/ are checked as production with the model's registries and all-environment waivers (--env to choose)`);
  }
  const versionMinor = opts.kubernetesVersion ? minorOf(opts.kubernetesVersion) : null;
  const envCache = new Map<string, DocEnv>();
  const envKey = (d: Located) => envNameOfFile(d.file) ?? opts.env ?? null;
  const complete = completeFolders(docs);
  const envOf = (d: Located): DocEnv => {
    const name = envKey(d);
    const folder = renderedFolderOf(d.file);
    const region = name ? regionOfFile(d.file) : null;
    const k = `${name ?? ''}\0${folder ?? ''}\0${region ?? ''}`;
    if (!envCache.has(k)) {
      const m = model(name ?? DEFAULT_ENV);
      envCache.set(k, {
        name,
        region,
        clusters: m ? m.environment.regions.map((r) => r.cluster.name) : [],
        tier: name && m ? m.environment.tier : 'production',
        approvedRegistries: opts.approvedRegistries ?? m?.policies.approvedRegistries ?? [],
        ingressNamespace: m?.platform.ingressGateway?.namespace,
        ...(m ? { mtls: m.environment.mesh.mtls } : {}),
        externals: m ? externalsIn(m.externals, m.environment.name).map(({ kind, name, namespace, reason }) => ({ kind, name, ...(namespace ? { namespace } : {}), reason })) : [],
        complete: folder !== null && complete.get(folder) === true,
      });
    }
    return envCache.get(k)!;
  };
  const waivers: ModelWaiver[] = [];
  for (const [env, m] of models) {
    for (const w of m.policies.waivers) {
      // The default environment only contributes waivers that hold everywhere.
      const explicit = docs.some((d) => envKey(d) === env);
      if (!explicit && w.environments !== null) continue;
      if (!waivers.some((x) => x.modelPath === w.modelPath)) waivers.push({ ...w, environments: w.environments ?? null });
    }
  }
  return {
    envOf,
    kubernetesMinor: (d) => versionMinor ?? minorOf(model(envKey(d) ?? DEFAULT_ENV)?.environment.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION),
    waivers,
    notes,
  };
}
