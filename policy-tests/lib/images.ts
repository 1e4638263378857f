// Container image references: `[registry/]repository[:tag][@digest]`.
import type { Doc } from './documents.ts';
import { containersOf, podOf, type ContainerRef } from './workloads.ts';

export interface ImageRef {
  reference: string;
  /** Tag, or null when none is written. */
  tag: string | null;
  /** `sha256:<64 hex>`, or null. */
  digest: string | null;
}

export function parseImage(reference: string): ImageRef {
  const [name, digest = null] = reference.split('@', 2);
  const lastSlash = name.lastIndexOf('/');
  const colon = name.indexOf(':', lastSlash + 1);
  return { reference, tag: colon >= 0 ? name.slice(colon + 1) : null, digest };
}

export const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Every container with an image in a document's pod spec. */
export function imagesOf(doc: Doc): Array<ContainerRef & { image: ImageRef }> {
  const pod = podOf(doc);
  if (!pod) return [];
  return containersOf(pod)
    .filter((c) => typeof c.c.image === 'string')
    .map((c) => ({ ...c, image: parseImage(c.c.image) }));
}
