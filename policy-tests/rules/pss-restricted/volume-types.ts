import { podCheck, PSA_ENFORCED } from '../../lib/pss.ts';
import type { Rule } from '../../lib/rule.ts';

/** Volume sources the restricted profile allows. */
export const ALLOWED_VOLUME_SOURCES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret']);

export const rule: Rule = {
  id: 'pss-restricted/volume-types',
  ruleset: 'pss-restricted',
  severity: 'error',
  title: 'Pods use only ConfigMap, CSI, downward API, emptyDir, ephemeral, image, PVC, projected and Secret volumes',
  rationale: 'Other volume types mount node or network storage directly, outside the cluster storage API and its access control.',
  fix: 'Replace the volume with a PersistentVolumeClaim (or another allowed type).',
  kyverno: PSA_ENFORCED,
  check: podCheck((pod) =>
    (Array.isArray(pod.spec.volumes) ? pod.spec.volumes : []).flatMap((v: Record<string, unknown>, i: number) =>
      Object.keys(v ?? {})
        .filter((k) => k !== 'name' && v[k] !== null && !ALLOWED_VOLUME_SOURCES.has(k))
        .map((k) => ({ path: [...pod.specPath, 'volumes', i, k], message: `volume "${String(v.name)}" is of type ${k}, not allowed by the restricted profile` })),
    ),
  ),
};
