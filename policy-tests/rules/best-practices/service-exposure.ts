import { perDocument, type Rule } from '../../lib/rule.ts';

/** The ingress gateway's namespace when the model does not say (YAML checked without the model). */
export const DEFAULT_INGRESS_NAMESPACE = 'istio-ingress';

export const rule: Rule = {
  id: 'best-practices/service-exposure',
  ruleset: 'best-practices',
  severity: 'error',
  title: 'No NodePort or LoadBalancer Services or externalIPs outside the ingress gateway',
  rationale: 'Every external entry point bypasses the gateway\'s TLS, authentication and rate limits; the platform has exactly one.',
  fix: 'Use a ClusterIP Service and publish the host through the ingress gateway (in the model: `ingress`); only the gateway\'s namespace (model platform.ingressGateway) may hold external Services.',
  kyverno: { ciOnly: 'the ingress gateway is installed by a Helm chart whose Service is LoadBalancer; admission rules would need the same namespace exception' },
  check: perDocument((doc, env) => {
    if (doc.data.kind !== 'Service' || doc.data.metadata?.namespace === (env.ingressNamespace ?? DEFAULT_INGRESS_NAMESPACE)) return [];
    const spec = (doc.data.spec ?? {}) as { type?: string; externalIPs?: string[] };
    const out = [];
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') out.push({ path: ['spec', 'type'], message: `Service type ${spec.type} exposes the service outside the ingress gateway` });
    if (spec.externalIPs?.length) out.push({ path: ['spec', 'externalIPs'], message: `externalIPs ${spec.externalIPs.join(', ')} expose the service outside the ingress gateway` });
    return out;
  }),
};
