// Datastores: the platform's backing services as services see them, how they run, and how big here.
import type { LoadedDatastore, LoadedService, MigrationFile } from '../loaded.ts';
import type { DatastoreSizing, PostgresClusterSpec } from '../spec.ts';
import type { LoadContext } from './context.ts';
import { report, sortByName } from './context.ts';
import { DEFAULT_BUCKET_VERSIONING, DEFAULT_DATASTORE_SIZING, DEFAULT_STORAGE_CLASS, defaultTenantSchema } from './defaults.ts';

/** The database role of a service: its name with `-` as `_` (what PGUSER says). */
export function databaseRole(service: string): string {
  return service.replace(/-/g, '_');
}

const SQL_IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * The schema of the owner tenant and of every tenant with a client, owner first: each tenant's from
 * `tenantSchemas` or its default. Two tenants on one schema, or a schema that is no plain identifier, is an error.
 */
function tenantSchemas(context: LoadContext, path: string[], c: PostgresClusterSpec, clientTenants: string[]): Array<{ tenant: string; schema: string }> {
  const declared = (c.tenantSchemas ?? {}) as Record<string, string | undefined>;
  for (const tenant of Object.keys(declared)) {
    if (!(tenant in context.platform.tenants)) report(context, [...path, 'cluster', 'tenantSchemas', tenant], `no tenant named "${tenant}"`, `use one of: ${Object.keys(context.platform.tenants).join(', ')}`);
    if (tenant === c.owner) report(context, [...path, 'cluster', 'tenantSchemas', tenant], `${tenant} owns the datastore: its schema is \`schema\` ("${c.schema}")`, 'remove this entry or change `schema`');
  }
  const others = [...new Set(clientTenants)].filter((t) => t !== c.owner).sort();
  const schemas = [{ tenant: c.owner, schema: c.schema }, ...others.map((tenant) => ({ tenant, schema: declared[tenant] ?? defaultTenantSchema(tenant) }))];
  const seen = new Map<string, string>();
  for (const { tenant, schema } of schemas) {
    const at = tenant === c.owner ? [...path, 'cluster', 'schema'] : [...path, 'cluster', 'tenantSchemas', tenant];
    if (!SQL_IDENTIFIER.test(schema)) report(context, at, `"${schema}" (the schema of tenant ${tenant}) is not a plain SQL identifier`, 'use lowercase letters, digits and _');
    const other = seen.get(schema);
    if (other) report(context, at, `tenants ${other} and ${tenant} would share schema "${schema}": each tenant's tables must be its own`, `give ${tenant} another schema in tenantSchemas`);
    seen.set(schema, tenant);
  }
  return schemas;
}

export function loadDatastores(context: LoadContext, services: LoadedService[], migrations: Record<string, MigrationFile[]>): LoadedDatastore[] {
  const sizes = (context.env.datastores ?? {}) as Record<string, DatastoreSizing | undefined>;
  for (const name of Object.keys(sizes)) {
    if (!(name in context.platform.datastores)) report(context, [...context.envPath, 'datastores', name], `no datastore named "${name}"`, `declare it in model/datastores.ts or use one of: ${Object.keys(context.platform.datastores).join(', ')}`);
  }
  return sortByName(Object.entries(context.platform.datastores).map(([name, d]): LoadedDatastore => {
    const path = ['datastores', name];
    const size = { ...DEFAULT_DATASTORE_SIZING, ...sizes[name] };
    const schemas = d.cluster ? tenantSchemas(context, path, d.cluster, services.filter((s) => s.datastores.some((u) => u.name === name)).map((s) => s.tenant)) : null;
    const clients = services
      .flatMap((s) => s.datastores.filter((u) => u.name === name).map((u) => ({
        service: s.name, tenant: s.tenant, namespace: s.namespace, access: u.access, role: databaseRole(s.name),
        schema: schemas?.find((x) => x.tenant === s.tenant)?.schema ?? null,
      })))
      .sort((a, b) => (a.service < b.service ? -1 : 1));
    if (d.cluster && d.engine !== 'postgresql') report(context, [...path, 'cluster'], `only a postgresql datastore runs as a CloudNativePG cluster; ${name} is ${d.engine}`, 'give it a `chart` instead');
    if (d.chart && d.engine === 'postgresql') report(context, [...path, 'chart'], `a postgresql datastore runs as a CloudNativePG cluster, not a chart`, 'declare `cluster` instead');
    if (d.engine === 'minio' && size.instances > 1 && size.instances < 4) report(context, [...context.envPath, 'datastores', name, 'instances'], `MinIO runs standalone (1) or distributed (4 or more), not ${size.instances}`, 'use 1, or 4 or more');
    if (d.engine === 'redis' && size.instances === 2) report(context, [...context.envPath, 'datastores', name, 'instances'], 'Redis with Sentinel needs 3 nodes for a quorum; 2 cannot fail over', 'use 1 (standalone) or 3 or more');
    let cluster: LoadedDatastore['cluster'] = null;
    if (d.cluster) {
      const c = d.cluster;
      for (const [key, value] of [['migrator', c.migrator]] as const) {
        if (!SQL_IDENTIFIER.test(value)) report(context, [...path, 'cluster', key], `"${value}" is not a plain SQL identifier`, 'use lowercase letters, digits and _');
      }
      const tenant = context.platform.tenants[c.owner as keyof typeof context.platform.tenants];
      if (!tenant) report(context, [...path, 'cluster', 'owner'], `no tenant named "${c.owner}"`, `use one of: ${Object.keys(context.platform.tenants).join(', ')}`);
      const files = migrations[name] ?? [];
      if (files.length === 0) report(context, [...path, 'cluster', 'migrations'], `no migrations found in ${c.migrations}`, 'add the schema as NNNN_name.sql files there (render/sources.ts reads them)');
      for (const file of files) {
        if (!/^\d{4}_[a-z0-9_]+\.sql$/.test(file.file)) report(context, [...path, 'cluster', 'migrations'], `${c.migrations}/${file.file}: a migration's name is NNNN_snake_case.sql`, 'rename the file');
      }
      const versions = files.map((f) => f.version);
      if (new Set(versions).size !== versions.length) report(context, [...path, 'cluster', 'migrations'], `${c.migrations}: two migrations share a version number`, 'give each file its own NNNN prefix');
      cluster = {
        image: c.image, schema: c.schema, schemas: schemas!, migrations: c.migrations, migrator: c.migrator, archiveTimeoutSeconds: c.archiveTimeoutSeconds, backup: { ...c.backup },
        operator: { namespace: c.operator.namespace, podSelector: { ...c.operator.podSelector } },
        owner: { tenant: c.owner, namespace: tenant?.namespaces[0] ?? '' },
        migrationFiles: [...files].sort((a, b) => a.version - b.version).map((f) => ({ ...f })),
      };
    }
    (d.chart?.buckets ?? []).forEach((b, i) => {
      if (b.objectLock && b.versioning === false) report(context, [...path, 'chart', 'buckets', i, 'versioning'], `bucket "${b.name}" has an objectLock, which needs versioning`, 'remove `versioning: false` (object lock turns versioning on)');
    });
    const chart: LoadedDatastore['chart'] = d.chart
      ? { ...d.chart, buckets: (d.chart.buckets ?? []).map((b) => ({ ...b, versioning: b.versioning ?? DEFAULT_BUCKET_VERSIONING, objectLock: b.objectLock ? { ...b.objectLock } : null })) }
      : null;
    return {
      name, description: d.description, engine: d.engine, namespace: d.namespace, host: d.host, port: d.port, database: d.database ?? null, podSelector: { ...d.podSelector },
      storageClass: d.storageClass ?? DEFAULT_STORAGE_CLASS,
      instances: size.instances, storage: size.storage, recoveryWindowDays: Number.parseInt(size.recoveryWindow, 10),
      clients, cluster, chart, modelPath: `datastores.${name}`,
    };
  }));
}
