// Core Kubernetes objects typed with kubernetes-types (tsc checks every field name and type; the
// types cost nothing at run time), handed on as the plain data generators return.
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from './types.ts';

/** Any kubernetes-types object: apiVersion and kind are literal types there, and optional. */
export interface CoreObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

/** A kubernetes-types object as generators build it: apiVersion, kind and name set. */
export type Built<T extends CoreObject> = T & { apiVersion: NonNullable<T['apiVersion']>; kind: NonNullable<T['kind']>; metadata: ObjectMeta & { name: string } };

/** `typedObject<Deployment>({ ... })`: the object checked as a Deployment, returned as a KubeObject. */
export function typedObject<T extends CoreObject>(object: Built<T>): KubeObject {
  return object as unknown as KubeObject;
}
