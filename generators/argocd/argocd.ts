// Argo CD: per environment a root Application (app-of-apps) over rendered/<env>/apps, one child
// Application per tenant and per platform component, an AppProject per tenant admitting exactly its
// namespaces and the kinds it renders, and the health check that lets sync waves wait for children.
// An environment with further regions gets an ApplicationSet as its root instead (one root Application per
// declared and registered cluster); each region's Applications are rendered with its own tree, and only the
// primary region, where Argo CD runs, renders the bootstrap.
import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import type { IAppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import type { IApplicationSet } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet';
import { CLUSTER_SECRET_LABELS } from '../../model/regions.ts';
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import type { LoadedComponent, LoadedModel } from '../../model/loaded.ts';
import { LABEL_NAME } from '../core/kubernetes.ts';
import { platformLabels } from '../core/labels.ts';
import { renderedPath } from '../core/paths.ts';
import { customObject } from '../core/plain-object.ts';
import { managedNamespaces } from '../namespaces/namespaces.ts';
import { appProjectRoles } from '../access/app-project-roles.ts';
import { chartValues } from '../platform/chart-values.ts';
import { typedObject } from '../core/typed-object.ts';
import type { KubeObject, OutputFile, RenderContext } from '../core/types.ts';

export const IN_CLUSTER = 'https://kubernetes.default.svc';
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';
export const PROJECT_WAVE = -10;
const TENANT_WAVE = 0;
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';
/** On a chart Application: the API groups whose CRDs its chart installs (comma-separated), so the sync order can be checked from the rendered objects. */
export const CRD_GROUPS_ANNOTATION = 'gamemetrics.dev/provides-crd-groups';
/** The root app's folder: the Applications and AppProjects it syncs. */
export const APPS_FOLDER = 'apps';
/** Applied once by hand: the root app, its project and the Application health check. */
const BOOTSTRAP_FOLDER = 'bootstrap';

/** The Application folder of a rendered file: `tenants/<t>` or `platform/<c>`; null for apps/ and bootstrap/. */
export function applicationFolder(path: string): string | null {
  const [area, name] = path.split('/');
  return (area === 'tenants' || area === 'platform') && name ? `${area}/${name}` : null;
}

/** Group and kind of an object, `''` for the core group. */
export function groupKind(object: KubeObject): { group: string; kind: string } {
  const slash = object.apiVersion.indexOf('/');
  return { group: slash === -1 ? '' : object.apiVersion.slice(0, slash), kind: object.kind };
}

/** Lua health check for Application resources: report the child's own health so waves wait for it. */
const applicationHealthLua = [
  'local health = { status = "Progressing", message = "waiting for the application to report health" }',
  'if obj.status ~= nil and obj.status.health ~= nil and obj.status.health.status ~= nil then',
  '  health.status = obj.status.health.status',
  '  health.message = obj.status.health.message or ""',
  'end',
  'return health',
  '',
].join('\n');

/**
 * Prefix of the Applications and AppProjects of the model's region: `<env>` for the primary, `<env>-<region>` for the
 * others (one Argo CD, in the primary region, holds every region's).
 */
export function applicationPrefix(model: LoadedModel): string {
  const { name, region } = model.environment;
  return region.primary ? name : `${name}-${region.name}`;
}

/** Repository path of a folder of the model's region tree: `rendered/<env>/[regions/<region>/]<folder>`. */
export function regionTreePath(model: LoadedModel, folder: string): string {
  return renderedPath(model.environment.name, `${model.environment.region.folder}${folder}`);
}

export function syncPolicy(serverSideApply: boolean) {
  return {
    automated: { prune: true, selfHeal: true },
    syncOptions: ['CreateNamespace=false', 'PrunePropagationPolicy=foreground', 'PruneLast=true', ...(serverSideApply ? ['ServerSideApply=true'] : [])],
    retry: { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } },
  };
}

export function argocd({ model }: RenderContext, files: readonly OutputFile[]): OutputFile[] {
  const env = model.environment.name;
  const prefix = applicationPrefix(model);
  const argocdNs = model.platform.argocdNamespace;
  const repoURL = model.platform.git.repoURL;
  const revision = model.platform.git.targetRevision;
  const labels = platformLabels(model, 'argocd');
  const out: OutputFile[] = [];
  const folderOf = files.map((f) => applicationFolder(f.path));
  const folders = new Set(folderOf.filter((f): f is string => f !== null));

  const application = (name: string, project: string, wave: number, source: Record<string, unknown>, namespace: string | undefined, serverSideApply: boolean, sourcePath: string, crdGroups: string[] = []) =>
    out.push({
      path: `${APPS_FOLDER}/application-${name}.yaml`,
      source: sourcePath,
      object: customObject<IApplication>({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: {
          name,
          namespace: argocdNs,
          labels,
          annotations: { [SYNC_WAVE_ANNOTATION]: String(wave), ...(crdGroups.length > 0 ? { [CRD_GROUPS_ANNOTATION]: crdGroups.join(',') } : {}) },
          finalizers: [RESOURCES_FINALIZER],
        },
        spec: { project, source: source as never, destination: { server: model.environment.cluster.server, namespace }, syncPolicy: syncPolicy(serverSideApply) },
      }),
    });

  const directory = (folder: string) => ({ repoURL, targetRevision: revision, path: regionTreePath(model, folder), directory: { recurse: true } });

  // Tenants.
  for (const tenant of model.tenants) {
    const folder = `tenants/${tenant.name}`;
    const name = `${prefix}-${tenant.name}`;
    const kinds = new Map<string, { group: string; kind: string }>();
    files.forEach((file, i) => {
      if (folderOf[i] === folder) kinds.set(`${groupKind(file.object).group}/${file.object.kind}`, groupKind(file.object));
    });
    out.push({
      path: `${APPS_FOLDER}/appproject-${name}.yaml`,
      source: tenant.modelPath,
      object: customObject<IAppProject>({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name, namespace: argocdNs, labels, annotations: { [SYNC_WAVE_ANNOTATION]: String(PROJECT_WAVE) } },
        spec: {
          description: `${tenant.displayName} in ${env}: only its namespaces and the kinds it renders.`,
          sourceRepos: [repoURL],
          destinations: tenant.namespaces.map((namespace) => ({ server: model.environment.cluster.server, namespace })),
          clusterResourceWhitelist: [],
          namespaceResourceWhitelist: [...kinds.values()].sort((a, b) => (`${a.group}/${a.kind}` < `${b.group}/${b.kind}` ? -1 : 1)),
          orphanedResources: { warn: true },
          roles: appProjectRoles(model, tenant.name, name),
        },
      }),
    });
    if (folders.has(folder)) application(name, name, TENANT_WAVE, directory(folder), undefined, false, tenant.modelPath);
  }

  // Platform components.
  const platformProject = `${prefix}-platform`;
  const componentByFolder = new Map(model.components.map((c) => [`platform/${c.name}`, c]));
  for (const folder of [...folders].filter((f) => f.startsWith('platform/'))) {
    if (!componentByFolder.has(folder)) throw new Error(`generators wrote ${folder}/ but no component "${folder.slice(9)}" is declared in model/components.ts`);
  }
  const clusterKinds = new Map<string, { group: string; kind: string }>();
  const chartRepos = new Set<string>();
  for (const component of model.components) {
    component.clusterResources.forEach((r) => clusterKinds.set(`${r.group}/${r.kind}`, r));
    const folder = `platform/${component.name}`;
    const name = `${prefix}-${component.name}`;
    if (component.chart) {
      chartRepos.add(component.chart.repoURL);
      application(name, platformProject, component.wave, helmSource(model, component), component.namespace, true, component.modelPath, component.crdGroups);
    } else if (folders.has(folder)) {
      application(name, platformProject, component.wave, directory(folder), undefined, false, component.modelPath);
    } else {
      throw new Error(`component "${component.name}" has neither a chart nor rendered objects: give it a chart, or remove it from model/components.ts`);
    }
  }
  // Platform folders may also write into namespaces they do not own (credentials where a datastore reads them).
  const platformObjectNamespaces = files.flatMap((f, i) => (folderOf[i]?.startsWith('platform/') && f.object.metadata.namespace ? [f.object.metadata.namespace] : []));
  const platformNamespaces = [...new Set([...managedNamespaces(model).map((n) => n.name), ...model.components.map((c) => c.namespace), ...platformObjectNamespaces])].sort();
  out.push({
    path: `${APPS_FOLDER}/appproject-${platformProject}.yaml`,
    source: 'components',
    object: customObject<IAppProject>({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: platformProject, namespace: argocdNs, labels, annotations: { [SYNC_WAVE_ANNOTATION]: String(PROJECT_WAVE) } },
      spec: {
        description: `Platform components in ${env}: namespaces, guardrails, operators and shared infrastructure.`,
        sourceRepos: [repoURL, ...[...chartRepos].sort()],
        destinations: platformNamespaces.map((namespace) => ({ server: model.environment.cluster.server, namespace })),
        clusterResourceWhitelist: [...clusterKinds.values()].sort((a, b) => (`${a.group}/${a.kind}` < `${b.group}/${b.kind}` ? -1 : 1)),
        orphanedResources: { warn: true },
      },
    }),
  });

  // Bootstrap, applied once by hand in the primary region's Argo CD: the root app (an ApplicationSet over the
  // environment's clusters where it has several regions), its project, and the Application health check.
  if (!model.environment.region.primary) return out;
  const bootstrapProject = `${env}-bootstrap`;
  out.push({
    path: `${BOOTSTRAP_FOLDER}/appproject-${bootstrapProject}.yaml`,
    source: 'platform.git',
    object: customObject<IAppProject>({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: bootstrapProject, namespace: argocdNs, labels },
      spec: {
        description: `The ${env} root application: Applications and AppProjects only.`,
        sourceRepos: [repoURL],
        destinations: [{ server: IN_CLUSTER, namespace: argocdNs }],
        clusterResourceWhitelist: [],
        namespaceResourceWhitelist: [{ group: 'argoproj.io', kind: 'Application' }, { group: 'argoproj.io', kind: 'AppProject' }],
      },
    }),
  });
  if (model.environment.regions.length > 1) out.push(rootApplicationSet(model, bootstrapProject));
  else {
    out.push({
      path: `${BOOTSTRAP_FOLDER}/application-${env}-root.yaml`,
      source: 'platform.git',
      object: customObject<IApplication>({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: `${env}-root`, namespace: argocdNs, labels, finalizers: [RESOURCES_FINALIZER] },
        spec: {
          project: bootstrapProject,
          source: { repoURL, targetRevision: revision, path: renderedPath(env, APPS_FOLDER) },
          destination: { server: IN_CLUSTER, namespace: argocdNs },
          syncPolicy: syncPolicy(false),
        },
      }),
    });
  }
  out.push({
    path: `${BOOTSTRAP_FOLDER}/configmap-argocd-cm.yaml`,
    source: 'platform.argocdNamespace',
    object: typedObject<ConfigMap>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'argocd-cm', namespace: argocdNs, labels: { ...labels, [LABEL_NAME]: 'argocd-cm' } },
      data: { 'resource.customizations.health.argoproj.io_Application': applicationHealthLua },
    }),
  });
  return out;
}

/** Go-template parameter the list generator adds to each cluster: the folder of its region's Applications. */
const APPS_PATH_PARAM = 'appsPath';

/**
 * The root of a multi-region environment: one root Application per declared cluster that is registered in Argo CD
 * with the environment's labels (the cluster generator), merged by cluster name with the folder of that region's
 * Applications (the list generator), so a region is deployed exactly when it is declared here and registered there.
 */
function rootApplicationSet(model: LoadedModel, project: string): OutputFile {
  const env = model.environment.name;
  const { argocdNamespace, git } = model.platform;
  const clusters = model.environment.regions.map((r) => r.cluster.name);
  return {
    path: `${BOOTSTRAP_FOLDER}/applicationset-${env}-root.yaml`,
    source: 'environment.regions',
    object: customObject<IApplicationSet>({ apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name: `${env}-root`, namespace: argocdNamespace, labels: platformLabels(model, 'argocd') },
      spec: {
        goTemplate: true,
        goTemplateOptions: ['missingkey=error'],
        generators: [{
          merge: {
            mergeKeys: ['name'],
            generators: [
              { clusters: { selector: { matchLabels: { [CLUSTER_SECRET_LABELS.environment]: env }, matchExpressions: [{ key: CLUSTER_SECRET_LABELS.cluster, operator: 'In', values: clusters }] } } },
              { list: { elements: model.environment.regions.map((r) => ({ name: r.cluster.name, [APPS_PATH_PARAM]: renderedPath(env, `${r.folder}${APPS_FOLDER}`) })) } },
            ],
          },
        }],
        template: {
          metadata: { name: `${env}-{{ .name }}-root`, labels: { ...platformLabels(model, 'argocd'), [CLUSTER_SECRET_LABELS.cluster]: '{{ .name }}' }, finalizers: [RESOURCES_FINALIZER] },
          spec: {
            project,
            source: { repoURL: git.repoURL, targetRevision: git.targetRevision, path: `{{ .${APPS_PATH_PARAM} }}` },
            destination: { server: IN_CLUSTER, namespace: argocdNamespace },
            syncPolicy: syncPolicy(false) as never,
          },
        },
        // Deleting the ApplicationSet must not cascade into every region's workloads.
        syncPolicy: { preserveResourcesOnDeletion: true },
      },
    }),
  };
}

function helmSource(model: LoadedModel, component: LoadedComponent) {
  const chart = component.chart!;
  const values = chartValues(model, component);
  return {
    repoURL: chart.repoURL,
    chart: chart.name,
    targetRevision: chart.version,
    helm: { releaseName: component.name, ...(values ? { valuesObject: values } : {}) },
  };
}
