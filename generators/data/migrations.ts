// The schema migrations of each PostgreSQL datastore, run by an Argo CD PreSync hook Job of the tenant
// that owns the schema (so they apply before that tenant's new code rolls out): a ConfigMap with the
// versioned SQL files, the runner and the grants, the Job (restricted pod, the Cluster's own image for
// psql), and the NetworkPolicy that lets the Job reach the database.
import type { ConfigMap, ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { NetworkPolicy } from 'kubernetes-types/networking/v1.js';
import type { LoadedDatastore, LoadedModel } from '../../model/loaded.ts';
import { LABEL_COMPONENT, LABEL_MANAGED_BY, LABEL_NAME, LABEL_PART_OF } from '../core/kubernetes.ts';
import { LABEL_COST_CENTRE, LABEL_ENVIRONMENT, LABEL_TENANT, MANAGED_BY } from '../core/labels.ts';
import { namespacePeer, tcpPorts } from '../core/network-policy.ts';
import { typedObject } from '../core/typed-object.ts';
import type { Generator, OutputFile } from '../core/types.ts';
import { BASIC_AUTH_KEYS, migratorSecret } from './credentials.ts';
import { grantsSql, migrationRunner } from './sql.ts';

/** On the migrations ConfigMap: the schema the migrations create (the harness sets search_path from it). */
export const SCHEMA_ANNOTATION = 'gamemetrics.dev/schema';
export const RUNNER_FILE = 'migrate.sql';
export const GRANTS_FILE = 'grants.sql';
const MOUNT = '/migrations';
/** The postgres user of CloudNativePG's images. */
const POSTGRES_UID = 26;
const HOOK_ANNOTATION = 'argocd.argoproj.io/hook';
const HOOK_DELETE_ANNOTATION = 'argocd.argoproj.io/hook-delete-policy';
const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
export const HOOK_ANNOTATIONS = { [HOOK_ANNOTATION]: 'PreSync', [HOOK_DELETE_ANNOTATION]: 'BeforeHookCreation,HookSucceeded' } as const;

/** The psql command line the Job runs (tests run the same one). */
export function psqlArguments(directory: string): string[] {
  return ['-v', 'ON_ERROR_STOP=1', '--no-psqlrc', '--single-transaction', '-f', `${directory}/${RUNNER_FILE}`, '-f', `${directory}/${GRANTS_FILE}`];
}

export function migrationsName(store: LoadedDatastore): string {
  return `${store.name}-migrations`;
}

function labels(model: LoadedModel, store: LoadedDatastore): Record<string, string> {
  // The owner tenant pays for the migrations it runs (cost-allocation labels).
  const owner = model.tenants.find((t) => t.name === store.cluster!.owner.tenant)!;
  return {
    [LABEL_NAME]: migrationsName(store),
    [LABEL_COMPONENT]: 'schema-migrations',
    [LABEL_PART_OF]: store.name,
    [LABEL_MANAGED_BY]: MANAGED_BY,
    [LABEL_ENVIRONMENT]: model.environment.name,
    [LABEL_TENANT]: owner.name,
    [LABEL_COST_CENTRE]: owner.costCentre,
  };
}

/** The ConfigMap data: every migration file, the runner and the grants. */
export function migrationFiles(store: LoadedDatastore): Record<string, string> {
  const data: Record<string, string> = {};
  for (const file of store.cluster!.migrationFiles) data[file.file] = file.sql;
  data[RUNNER_FILE] = migrationRunner(store);
  data[GRANTS_FILE] = grantsSql(store);
  return Object.fromEntries(Object.entries(data).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export const schemaMigrations: Generator = ({ model }) =>
  model.datastores
    .filter((store) => store.cluster)
    .flatMap((store): OutputFile[] => {
      const owner = store.cluster!.owner;
      const namespace = owner.namespace;
      const name = migrationsName(store);
      const meta = { name, namespace, labels: labels(model, store) };
      const at = (kind: string) => `tenants/${owner.tenant}/${namespace}/${kind}-${name}.yaml`;
      const source = `${store.modelPath}.cluster.migrations`;
      const configMap = typedObject<ConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...meta, annotations: { [SCHEMA_ANNOTATION]: store.cluster!.schema } }, data: migrationFiles(store) });
      const secret = migratorSecret(store);
      const job = typedObject<Job>({
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { ...meta, annotations: { ...HOOK_ANNOTATIONS } },
        spec: {
          backoffLimit: 3,
          activeDeadlineSeconds: 900,
          template: {
            metadata: { labels: labels(model, store) },
            spec: {
              restartPolicy: 'Never',
              // Its own identity: the mesh admits exactly this ServiceAccount to the database (generators/mesh/).
              serviceAccountName: name,
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              securityContext: { runAsNonRoot: true, runAsUser: POSTGRES_UID, runAsGroup: POSTGRES_UID, seccompProfile: { type: 'RuntimeDefault' } },
              containers: [{
                name: 'migrate',
                image: store.cluster!.image,
                imagePullPolicy: 'IfNotPresent',
                command: ['psql', ...psqlArguments(MOUNT)],
                env: [
                  { name: 'PGHOST', value: store.host },
                  { name: 'PGPORT', value: String(store.port) },
                  { name: 'PGDATABASE', value: store.database ?? store.name },
                  { name: 'PGSSLMODE', value: 'require' },
                  { name: 'PGCONNECT_TIMEOUT', value: '10' },
                  { name: 'PGUSER', valueFrom: { secretKeyRef: { name: secret, key: BASIC_AUTH_KEYS.username } } },
                  { name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: secret, key: BASIC_AUTH_KEYS.password } } },
                ],
                resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
                volumeMounts: [{ name: 'migrations', mountPath: MOUNT, readOnly: true }, { name: 'tmp', mountPath: '/tmp' }],
              }],
              volumes: [{ name: 'migrations', configMap: { name } }, { name: 'tmp', emptyDir: { sizeLimit: '16Mi' } }],
            },
          },
        },
      });
      const egress = typedObject<NetworkPolicy>({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: meta,
        spec: {
          podSelector: { matchLabels: { [LABEL_NAME]: name } },
          policyTypes: ['Egress'],
          egress: [{ to: [namespacePeer(store.namespace, store.podSelector)], ports: tcpPorts([store.port]) }],
        },
      });
      // A PreSync hook too, one wave before the Job, so the identity exists when the Job's pod is created.
      const serviceAccount = typedObject<ServiceAccount>({
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { ...meta, annotations: { [HOOK_ANNOTATION]: 'PreSync', [HOOK_DELETE_ANNOTATION]: 'BeforeHookCreation', [SYNC_WAVE]: '-1' } },
        automountServiceAccountToken: false,
      });
      return [
        { path: at('serviceaccount'), source, object: serviceAccount },
        { path: at('configmap'), source, object: configMap },
        { path: at('job'), source, object: job },
        { path: at('networkpolicy'), source, object: egress },
      ];
    });
