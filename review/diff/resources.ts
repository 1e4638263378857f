// Rendered files → resources keyed by identity (group, kind, namespace, name), each with the
// Argo CD Application that syncs it.
import { parse, parseAllDocuments } from 'yaml';
import type { RenderedObject, ResourceId, SnapshotEnvironment } from './types.ts';

export const LABEL_TENANT = 'gamemetrics.dev/tenant';
export const LABEL_NAME = 'app.kubernetes.io/name';
/** Files outside every Application: applied once by hand when a cluster is bootstrapped. */
export const BOOTSTRAP = 'bootstrap (applied by hand)';
const NO_APPLICATION = '(no application)';
/** `regions/<region>/…`: a file of a further region's tree (docs/regions.md). */
const REGION_FOLDER = /^regions\/([^/]+)\//;

export interface Resource {
  id: ResourceId;
  key: string;
  file: string;
  application: string;
  object: RenderedObject;
}

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

export function resourceId(object: RenderedObject): ResourceId {
  return { group: groupOf(object.apiVersion), kind: object.kind, namespace: object.metadata.namespace ?? '', name: object.metadata.name };
}

export const idKey = (id: ResourceId) => `${id.group}/${id.kind}/${id.namespace}/${id.name}`;
/** The further region of a resource key (`<region>:<id key>`), or null for the primary region's. */
export function regionOfKey(key: string): string | null {
  // An id key starts with its group and a slash (`/v1…` for the core group); a region prefix has no slash.
  const colon = key.indexOf(':');
  return colon !== -1 && colon < key.indexOf('/') ? key.slice(0, colon) : null;
}
/** `Deployment gamemetrics/event-processor`, `Namespace gamemetrics`. */
export const refOf = (id: ResourceId) => `${id.kind} ${id.namespace ? `${id.namespace}/` : ''}${id.name}`;

/** Folder (relative to rendered/<env>/) → Application name, from the Application objects rendered. */
function applicationFolders(env: string, objects: Array<{ file: string; object: RenderedObject }>): Map<string, string> {
  const folders = new Map<string, string>();
  const prefix = `rendered/${env}/`;
  for (const { object } of objects) {
    if (object.kind !== 'Application' || groupOf(object.apiVersion) !== 'argoproj.io') continue;
    const spec = (object.spec ?? {}) as { source?: { path?: string }; sources?: Array<{ path?: string }> };
    for (const source of [spec.source, ...(spec.sources ?? [])]) {
      if (source?.path?.startsWith(prefix)) folders.set(source.path.slice(prefix.length).replace(/\/$/, ''), object.metadata.name);
    }
  }
  return folders;
}

function applicationOf(file: string, folders: Map<string, string>): string {
  let best: string | undefined;
  let bestLength = -1;
  for (const [folder, app] of folders) {
    if ((file.startsWith(`${folder}/`) || folder === '') && folder.length > bestLength) {
      best = app;
      bestLength = folder.length;
    }
  }
  if (best) return best;
  return file.startsWith('bootstrap/') ? BOOTSTRAP : NO_APPLICATION;
}

/** Parsed documents by file content: both sides of a diff share most files, each is parsed once. */
export type ParseCache = Map<string, unknown[]>;

function parseDocuments(content: string): unknown[] {
  try {
    return [parse(content)];
  } catch {
    return parseAllDocuments(content).map((document) => {
      if (document.errors.length > 0) throw new Error(document.errors[0].message);
      return document.toJS();
    });
  }
}

/** Every resource of one environment, by identity key. A file that is not YAML is an error naming it. */
export function environmentResources(environment: SnapshotEnvironment, label: string, cache: ParseCache = new Map()): Map<string, Resource> {
  const parsed: Array<{ file: string; object: RenderedObject }> = [];
  const problems: string[] = [];
  for (const [file, content] of environment.files) {
    if (!/\.ya?ml$/.test(file)) continue;
    let documents = cache.get(content);
    if (!documents) {
      try {
        documents = parseDocuments(content);
      } catch (error) {
        problems.push(`${label}: rendered/${environment.env}/${file}: ${(error as Error).message}`);
        continue;
      }
      cache.set(content, documents);
    }
    for (const document of documents) {
      const object = document as RenderedObject | null;
      if (object && typeof object === 'object' && object.kind && object.metadata?.name) parsed.push({ file, object });
    }
  }
  if (problems.length > 0) throw new Error(`rendered output is not valid YAML:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  const folders = applicationFolders(environment.env, parsed);
  const resources = new Map<string, Resource>();
  for (const { file, object } of parsed) {
    const id = resourceId(object);
    // A further region's tree is another cluster: its objects are keyed apart from the primary's namesakes.
    const region = REGION_FOLDER.exec(file)?.[1];
    const key = region ? `${region}:${idKey(id)}` : idKey(id);
    resources.set(key, { id, key, file, application: applicationOf(file, folders), object });
  }
  return resources;
}
