// The contract every generator follows: (context) => OutputFile[].
import type { LoadedModel } from '../../model/loaded.ts';

/** A Kubernetes object as plain data (what gets serialised). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** One rendered resource, one file. */
export interface OutputFile {
  /**
   * Path relative to `rendered/<env>/`, e.g. `tenants/gamemetrics/gamemetrics/deployment-event-ingestion.yaml`.
   * The first two segments name the Argo CD Application that syncs it (`tenants/<tenant>`, `platform/<component>`),
   * except for `apps/` (the root app's own folder) and `bootstrap/` (applied once by hand).
   */
  path: string;
  /** Model path the object derives from, written into the file header (`tenants.gamemetrics.services.event-ingestion`). */
  source: string;
  object: KubeObject;
}

export interface RenderContext {
  model: LoadedModel;
}

export type Generator = (ctx: RenderContext) => OutputFile[];
