import type { Doc } from '../../lib/documents.ts';
import type { Rule, Violation } from '../../lib/rule.ts';
import type { Obj } from '../../lib/workloads.ts';

/** Istio's namespace label for sidecar injection: a namespace with it `enabled` is in the mesh. */
export const ISTIO_INJECTION_LABEL = 'istio-injection';
/** On a PeerAuthentication that relaxes mTLS on some ports: why (a sentence). */
export const MTLS_EXCEPTION_ANNOTATION = 'gamemetrics.dev/mtls-exception-reason';
/** Istio's root namespace: a PeerAuthentication there without a selector covers the whole mesh. */
const ROOT_NAMESPACE = 'istio-system';

const isPeerAuthentication = (d: Doc) => d.data.kind === 'PeerAuthentication' && String(d.data.apiVersion).startsWith('security.istio.io/');
const namespaceWide = (d: Doc) => (d.data.spec as Obj | undefined)?.selector === undefined;
const modeOf = (d: Doc) => (d.data.spec as Obj | undefined)?.mtls?.mode;

export const rule: Rule = {
  id: 'platform/strict-mtls',
  ruleset: 'platform',
  severity: 'error',
  title: 'Where the environment\'s mesh says STRICT, every meshed namespace refuses plaintext',
  rationale: 'STRICT mTLS is what makes a principal in an AuthorizationPolicy mean something: in PERMISSIVE mode a caller outside the mesh connects in plaintext, unauthenticated and unencrypted.',
  fix: 'Give every namespace labelled istio-injection=enabled a PeerAuthentication without selector in mode STRICT (generators/mesh/ renders it from environment.mesh.mtls); a port that must accept plaintext needs a workload PeerAuthentication with portLevelMtls PERMISSIVE and the reason in the gamemetrics.dev/mtls-exception-reason annotation.',
  kyverno: { ciOnly: 'the required mode is a value of the environment, and a namespace is checked together with its PeerAuthentication; admission sees one object at a time' },
  check: (ctx) => {
    const out: Violation[] = [];
    const strict = (d: Doc) => (ctx.envOf(d).mtls ?? 'STRICT') === 'STRICT';
    const peerAuthentications = ctx.docs.filter(isPeerAuthentication);
    for (const doc of peerAuthentications) {
      if (!strict(doc)) continue;
      const mode = modeOf(doc);
      if (mode !== 'STRICT') out.push({ doc, path: ['spec', 'mtls', 'mode'], message: `PeerAuthentication ${doc.ref} sets mode ${mode ?? '(unset)'}, not STRICT` });
      const ports = ((doc.data.spec as Obj | undefined)?.portLevelMtls ?? {}) as Record<string, { mode?: string }>;
      const reason = doc.data.metadata?.annotations?.[MTLS_EXCEPTION_ANNOTATION] ?? '';
      for (const [port, setting] of Object.entries(ports)) {
        const path = ['spec', 'portLevelMtls', port, 'mode'];
        if (setting.mode === 'STRICT') continue;
        if (setting.mode === 'DISABLE') out.push({ doc, path, message: `port ${port} disables mTLS` });
        else if (namespaceWide(doc)) out.push({ doc, path, message: `port ${port} accepts plaintext on every workload of the namespace` });
        else if (reason.trim().length < 10) out.push({ doc, path, message: `port ${port} accepts plaintext without a reason in ${MTLS_EXCEPTION_ANNOTATION}` });
      }
    }
    for (const doc of ctx.docs) {
      if (doc.data.kind !== 'Namespace' || doc.data.metadata?.labels?.[ISTIO_INJECTION_LABEL] !== 'enabled' || !strict(doc)) continue;
      const name = String(doc.data.metadata?.name);
      const covered = peerAuthentications.some((p) => namespaceWide(p) && modeOf(p) === 'STRICT' && [name, ROOT_NAMESPACE].includes(p.data.metadata?.namespace ?? 'default'));
      if (!covered) out.push({ doc, path: ['metadata', 'labels', ISTIO_INJECTION_LABEL], message: `namespace ${name} is in the mesh but no STRICT PeerAuthentication covers it in the given files` });
    }
    return out;
  },
};
