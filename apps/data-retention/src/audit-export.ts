/**
 * The audit export (control GDP-05): the rows of the append-only audit tables (migration 0020) that are
 * not in `audit_exports` yet go to the object-locked audit bucket, as gzipped JSON lines:
 * `audit/<source>/<day>/<digest>.jsonl.gz`, `<source>` the table, `<day>` the UTC day of the object's
 * first row, `<digest>` derived from the rows' keys. Each object's rows are then entered in
 * `audit_exports` (row → object key). The bucket's default retention locks every version it stores.
 *
 * Which rows are new is decided by the ledger, not by a timestamp or id watermark: a row's key order is
 * not its commit order (a transaction that started earlier may commit later), so a watermark could
 * pass a row that is not visible yet. A run that dies after an upload and before its ledger entries
 * selects the same rows again, finds the object stored and only enters them.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { ObjectStore } from '@gamemetrics/service-kit/object-store.ts';
import { encodeLines } from './archive.ts';

export const AUDIT_PREFIX = 'audit/';
/** Rows per object (one ledger statement each). */
export const AUDIT_EXPORT_ROWS = 5000;

interface AuditRow {
  key: string;
  day: string;
  line: string;
}

/** Each audit table and the query that returns up to $1 of its rows not exported yet, oldest first. */
export const AUDIT_SOURCES: Record<string, string> = {
  gdpr_deletion_audit: `SELECT a.request_id::text || '/' || a.store AS key, to_char(a.completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
         json_build_object('requestId', a.request_id, 'store', a.store, 'service', a.service, 'deleted', a.deleted, 'completedAt', a.completed_at)::text AS line
    FROM gdpr_deletion_audit a
   WHERE NOT EXISTS (SELECT 1 FROM audit_exports e WHERE e.source = 'gdpr_deletion_audit' AND e.row_key = a.request_id::text || '/' || a.store)
   ORDER BY a.completed_at, a.request_id, a.store LIMIT $1`,
  // geo_climate is not data-retention's schema: migration 0020's function returns the rows and nothing else.
  geo_audit_log: `SELECT id::text AS key, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, line FROM geo_audit_rows_to_export($1)`,
};

export function auditObjectKey(source: string, day: string, rowKeys: string[]): string {
  const digest = createHash('sha256').update(rowKeys.join('\n')).digest('hex').slice(0, 24);
  return `${AUDIT_PREFIX}${source}/${day}/${digest}.jsonl.gz`;
}

export interface AuditExportSummary {
  rows: number;
  objects: number;
}

/** Exports every audit row not exported yet; stops between objects when `stopping()` says so. */
export async function exportAudit(pool: pg.Pool, store: ObjectStore, options: { rowsPerObject?: number; stopping?: () => boolean } = {}): Promise<AuditExportSummary> {
  const limit = options.rowsPerObject ?? AUDIT_EXPORT_ROWS;
  const summary: AuditExportSummary = { rows: 0, objects: 0 };
  for (const [source, sql] of Object.entries(AUDIT_SOURCES)) {
    while (!options.stopping?.()) {
      const { rows } = await pool.query<AuditRow>(sql, [limit]);
      if (rows.length === 0) break;
      const keys = rows.map((r) => r.key);
      const objectKey = auditObjectKey(source, rows[0].day, keys);
      // Stored by a run that died before its ledger entries: the same rows, the same content.
      if ((await store.get(objectKey)) === undefined) await store.put(objectKey, await encodeLines(rows.map((r) => r.line)), 'application/gzip');
      await pool.query('INSERT INTO audit_exports (source, row_key, object_key) SELECT $1, k, $3 FROM unnest($2::text[]) AS k ON CONFLICT DO NOTHING', [source, keys, objectKey]);
      summary.rows += rows.length;
      summary.objects++;
      if (rows.length < limit) break;
    }
  }
  return summary;
}
