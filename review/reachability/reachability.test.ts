// The reachability proof: for every environment, the network matrix (NetworkPolicies) and the mesh matrix
// (PeerAuthentications, AuthorizationPolicies), computed from rendered/<env>/ alone, equal the declared call
// graph plus the declared platform flows; the access matrix (RBAC, Argo CD) equals the declared access. One
// mutated rendered policy makes the proof fail and name the edge.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadDocuments, type Doc } from '../../policy-tests/lib/documents.ts';
import { regionOfFile } from '../../policy-tests/lib/model-context.ts';
import type { Obj } from '../../policy-tests/lib/workloads.ts';
import { loadModel } from '../../render/sources.ts';
import { declared } from './declared.ts';
import { reachability } from './index.ts';
import { edgeDifferences, grantDifferences } from './proof.ts';
import { formatReachability } from './report.ts';

const RENDERED = join(import.meta.dirname, '..', '..', 'rendered');
const docsOf = (env: string) => loadDocuments([join(RENDERED, env)]).docs;

function proof(docs: readonly Doc[], env: string): string[] {
  const computed = reachability(docs);
  const expected = declared(loadModel(env));
  return [
    ...edgeDifferences('network', computed.network, expected.network),
    ...edgeDifferences('mesh', computed.mesh, expected.mesh),
    ...edgeDifferences('external', computed.external, expected.external),
    ...grantDifferences(computed.access, expected.access),
  ];
}

/** A copy of the documents with one object changed. */
function mutated(docs: readonly Doc[], ref: string, change: (data: Obj) => void): Doc[] {
  let found = false;
  const out = docs.map((d) => {
    if (d.ref !== ref) return d;
    found = true;
    const data = structuredClone(d.data) as Obj;
    change(data);
    return { ...d, data };
  });
  assert.ok(found, `no rendered ${ref}`);
  return out;
}

describe('reachability proof', () => {
  test('prod: each region\'s tree alone gives the declared network and mesh flows (neither hides behind the other\'s policies)', () => {
    const docs = docsOf('prod');
    const expected = declared(loadModel('prod'));
    const regions = [...new Set(docs.map((d) => regionOfFile(d.file)))];
    assert.deepEqual(regions, [null, 'eu-central-1']);
    for (const region of regions) {
      const computed = reachability(docs.filter((d) => regionOfFile(d.file) === region));
      assert.deepEqual([...edgeDifferences('network', computed.network, expected.network), ...edgeDifferences('mesh', computed.mesh, expected.mesh)], [], region ?? 'primary');
    }
  });

  for (const env of ['dev', 'staging', 'prod']) {
    test(`${env}: both matrices equal the declared flows, and the access matrix the declared access`, () => {
      const docs = docsOf(env);
      assert.deepEqual(proof(docs, env), []);
      const r = reachability(docs);
      // Not vacuous: the proof covers calls, ingress, scraping, Kafka, datastores and DNS.
      assert.ok(r.network.length > 30 && r.mesh.length > 20, `${r.network.length} network and ${r.mesh.length} mesh connections`);
      // Outside the cluster: notification-service's webhooks and prediction-api's mail relay, and nothing else of a tenant.
      assert.deepEqual(r.external.map((e) => e.from), ['gamemetrics/notification-service', 'geo-climate/prediction-api']);
    });
  }

  const prod = docsOf('prod');

  test('an extra principal in one AuthorizationPolicy fails the proof, naming the extra edge', () => {
    const docs = mutated(prod, 'AuthorizationPolicy/gamemetrics/user-service', (p) => p.spec.rules[0].from[0].source.principals.push('cluster.local/ns/geo-climate/sa/prediction-api'));
    assert.deepEqual(proof(docs, 'prod'), ['mesh: extra geo-climate/prediction-api → gamemetrics/user-service 8080/TCP (allowed by the rendered objects, not declared)']);
  });

  test('a NetworkPolicy that loses an ingress rule fails the proof, naming the missing edge', () => {
    const docs = mutated(prod, 'NetworkPolicy/gamemetrics/analytics-api', (p) => {
      p.spec.ingress = p.spec.ingress.filter((r: Obj) => r.from[0].podSelector.matchLabels['app.kubernetes.io/name'] !== 'admin-dashboard');
    });
    assert.deepEqual(proof(docs, 'prod'), ['network: missing gamemetrics/admin-dashboard → gamemetrics/analytics-api 8080/TCP (declared, refused by the rendered objects)']);
  });

  test('a rule open to every source is caught through the stand-in for unnamed pods', () => {
    const docs = mutated(prod, 'NetworkPolicy/gamemetrics/user-service', (p) => p.spec.ingress.push({ ports: [{ protocol: 'TCP', port: 8080 }] }));
    const problems = proof(docs, 'prod');
    // Pods of namespaces without an egress default deny (kube-system, default) are the ones it lets in.
    assert.ok(problems.includes('network: extra default/* → gamemetrics/user-service 8080/TCP (allowed by the rendered objects, not declared)'), problems.join('\n'));
    assert.ok(problems.every((p) => p.startsWith('network: extra ') && p.includes('→ gamemetrics/user-service 8080/TCP')));
  });

  test('dropping a namespace\'s default deny and a service\'s ALLOW policy opens the workload to every caller', () => {
    // Dropping the namespace's default deny and the service's ALLOW leaves the workload open to every caller.
    const docs = prod.filter((d) => d.ref !== 'AuthorizationPolicy/gamemetrics/default-deny' && d.ref !== 'AuthorizationPolicy/gamemetrics/analytics-api');
    const problems = proof(docs, 'prod');
    assert.ok(problems.includes('mesh: extra gamemetrics/* → gamemetrics/analytics-api * (allowed by the rendered objects, not declared)'), problems.join('\n'));
  });

  test('egress to the internet that the model does not declare fails the proof; so does a lost declared one', () => {
    const open = mutated(prod, 'NetworkPolicy/gamemetrics/analytics-api', (p) => p.spec.egress.push({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 443 }] }));
    assert.deepEqual(proof(open, 'prod'), ['external: extra gamemetrics/analytics-api → outside the cluster: 0.0.0.0/0 443/TCP (allowed by the rendered objects, not declared)']);
    const anyPort = mutated(prod, 'NetworkPolicy/gamemetrics/user-service', (p) => p.spec.egress.push({ ports: [{ protocol: 'TCP', port: 25 }] }));
    // A rule without peers opens every destination: the pods that admit it, and the internet.
    const problems = proof(anyPort, 'prod');
    assert.ok(problems.includes('external: extra gamemetrics/user-service → outside the cluster: any address 25/TCP (allowed by the rendered objects, not declared)'), problems.join('\n'));
    assert.ok(problems.every((p) => /^(network|external): extra gamemetrics\/user-service → .* 25\/TCP /.test(p)), problems.join('\n'));
    const lost = mutated(prod, 'NetworkPolicy/gamemetrics/notification-service', (p) => {
      p.spec.egress = p.spec.egress.filter((r: Obj) => !r.to?.[0]?.ipBlock);
    });
    assert.deepEqual(proof(lost, 'prod'), ['external: missing gamemetrics/notification-service → outside the cluster: 0.0.0.0/0 except 10.0.0.0/8 100.64.0.0/10 127.0.0.0/8 169.254.0.0/16 172.16.0.0/12 192.168.0.0/16 443/TCP (declared, refused by the rendered objects)']);
  });

  test('a second cluster-admin binding fails the access proof, naming the grant', () => {
    const docs = mutated(prod, 'ClusterRoleBinding/platform-admins', (b) => b.subjects.push({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'sso:gamemetrics-core' }));
    assert.deepEqual(proof(docs, 'prod'), ['access: extra Group:sso:gamemetrics-core | * | * | * (allowed by the rendered objects, not declared)']);
  });

  test('the report prints every matrix as text and Markdown', () => {
    const r = reachability(prod);
    const text = formatReachability('prod', r, 'text');
    assert.match(text, /gamemetrics\/admin-dashboard\s+gamemetrics\/user-service\s+8080\/TCP/);
    assert.match(text, /Group:sso:platform-admins\s+\*\s+\*\s+\*/);
    const markdown = formatReachability('prod', r, 'markdown');
    assert.match(markdown, /^\| istio-ingress\/istio-ingressgateway \| gamemetrics\/event-ingestion \| 8080\/TCP \|$/m);
    assert.match(markdown, /^## Access \(RBAC, Argo CD\)/m);
  });
});
