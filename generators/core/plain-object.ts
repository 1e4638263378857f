// Objects built with kubernetes-models classes, as the plain data generators return.
import type { KubeObject } from './types.ts';

/** toJSON() already copies the model's data into plain objects and arrays, without undefined values. */
export function plainObject(model: { toJSON(): unknown }): KubeObject {
  return model.toJSON() as KubeObject;
}
