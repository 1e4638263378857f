import { docs } from '../../lib/fixtures.ts';
import { perDocument, type Rule } from '../../lib/rule.ts';

/** Namespaces of the platform's ingress gateway: the only place a Service may face outside the cluster. */
export const INGRESS_NAMESPACES = new Set(['istio-ingress']);

const service = (ns: string, spec: object) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: ns }, spec: { selector: { app: 'api' }, ports: [{ port: 80, targetPort: 8080 }], ...spec } });

export const rule: Rule = {
  id: 'best-practices/service-exposure',
  ruleset: 'best-practices',
  severity: 'error',
  title: 'No NodePort or LoadBalancer Services or externalIPs outside the ingress gateway',
  rationale: 'Every external entry point bypasses the gateway\'s TLS, authentication and rate limits; the platform has exactly one.',
  fix: 'Use a ClusterIP Service and publish the host through the ingress gateway (in the model: `ingress`).',
  kyverno: { ciOnly: 'the ingress gateway is installed by a Helm chart whose Service is LoadBalancer; admission rules would need the same namespace exception' },
  fixtures: {
    pass: docs(service('team', { type: 'ClusterIP' }), service('istio-ingress', { type: 'LoadBalancer' })),
    fail: docs(service('team', { type: 'NodePort' })),
    failPath: 'spec.type',
  },
  check: perDocument((doc) => {
    if (doc.data.kind !== 'Service' || INGRESS_NAMESPACES.has(doc.data.metadata?.namespace ?? '')) return [];
    const spec = (doc.data.spec ?? {}) as { type?: string; externalIPs?: string[] };
    const out = [];
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') out.push({ path: ['spec', 'type'], message: `Service type ${spec.type} exposes the service outside the ingress gateway` });
    if (spec.externalIPs?.length) out.push({ path: ['spec', 'externalIPs'], message: `externalIPs ${spec.externalIPs.join(', ')} expose the service outside the ingress gateway` });
    return out;
  }),
};
