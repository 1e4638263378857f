// The real-world corpus (../shared/corpus/real-world, manifests written by other projects): every document is
// schema-valid, and the policy findings are the ones a reviewer expects (see that folder's README).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { before, describe, it } from 'node:test';
import { policyCli, validateCli } from '../scripts/cli/validate-policy.ts';
import type { Finding } from './lib/findings.ts';

const CORPUS = join(import.meta.dirname, '..', '..', 'shared', 'corpus', 'real-world');
if (!existsSync(CORPUS)) throw new Error(`the real-world corpus is missing at ${CORPUS} (../shared/corpus/real-world): it is required test data`);

type Out = { documents: number; errors: number; findings: Finding[] };
const json = (stdout: string) => JSON.parse(stdout) as Out;
const rel = (f: Finding) => relative(CORPUS, f.file);

describe('real-world corpus', () => {
  let policy: Out;
  const rulesOf = (file: string, object: string) => new Set(policy.findings.filter((f) => rel(f) === file && f.object === object).map((f) => f.ruleId));

  before(async () => {
    const r = await policyCli([CORPUS, '--format', 'json', '--no-model', '--approved-registry', 'registry.gamemetrics.dev/'], false, '2026-01-01');
    assert.equal(r.code, 1, r.stderr);
    policy = json(r.stdout);
  });

  it('is schema-valid: all 80 documents, no finding at all', async () => {
    const r = await validateCli([CORPUS, '--format', 'json', '--no-model']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const out = json(r.stdout);
    assert.equal(out.documents, 80);
    assert.deepEqual(out.findings, []);
  });

  it('flags every microservices-demo Deployment for the restricted seccomp control, and for nothing else of Pod Security', () => {
    const deployments = [...new Set(policy.findings.filter((f) => rel(f).startsWith('microservices-demo/') && f.object.startsWith('Deployment/')).map((f) => `${rel(f)}|${f.object}`))];
    assert.equal(deployments.length, 12);
    for (const key of deployments) {
      const [file, object] = key.split('|');
      const pss = [...rulesOf(file, object)].filter((id) => id.startsWith('pss-'));
      assert.deepEqual(pss, ['pss-restricted/seccomp'], key);
    }
    const f = policy.findings.find((x) => rel(x) === 'microservices-demo/frontend.yaml' && x.object === 'Deployment/frontend' && x.ruleId === 'pss-restricted/seccomp')!;
    assert.equal(f.path, 'spec.template.spec.containers[0].securityContext.seccompProfile.type');
  });

  it('flags microservices-demo images: unqualified, untagged, not pinned, not approved', () => {
    const frontend = rulesOf('microservices-demo/frontend.yaml', 'Deployment/frontend');
    for (const id of ['best-practices/image-tag', 'best-practices/image-digest', 'platform/approved-registries']) assert.ok(frontend.has(id), id);
    // redis:alpine names a tag: pinned-by-digest and registry findings only.
    const redis = rulesOf('microservices-demo/cartservice.yaml', 'Deployment/redis-cart');
    assert.ok(!redis.has('best-practices/image-tag'));
    assert.ok(redis.has('best-practices/image-digest'));
  });

  it('flags the microservices-demo LoadBalancer Service and nothing about its hardened fields', () => {
    assert.deepEqual([...rulesOf('microservices-demo/frontend.yaml', 'Service/frontend-external')], ['best-practices/service-exposure']);
    const hardened = ['pss-restricted/run-as-non-root', 'pss-restricted/capabilities', 'pss-restricted/allow-privilege-escalation', 'best-practices/read-only-root-filesystem'];
    assert.deepEqual(policy.findings.filter((f) => rel(f).startsWith('microservices-demo/') && hardened.includes(f.ruleId)), []);
  });

  it('finds the sock-shop gaps: no hardening, missing probes and resources on the databases, an Ingress without TLS', () => {
    const cartsDb = rulesOf('argocd-example-apps/sock-shop/base/carts-db-dep.yaml', 'Deployment/carts-db');
    for (const id of ['pss-restricted/allow-privilege-escalation', 'pss-restricted/seccomp', 'best-practices/readiness-probe', 'best-practices/liveness-probe', 'best-practices/resources']) assert.ok(cartsDb.has(id), id);
    assert.deepEqual([...rulesOf('argocd-example-apps/sock-shop/base/front-end-ingress.yaml', 'Ingress/front-end-ingress')], ['best-practices/ingress-tls']);
    // The application Deployments do set probes and resources.
    const carts = rulesOf('argocd-example-apps/sock-shop/base/carts-dep.yaml', 'Deployment/carts');
    assert.ok(!carts.has('best-practices/readiness-probe') && !carts.has('best-practices/resources'));
  });

  it('checks hook Jobs (generateName) too', () => {
    assert.ok(rulesOf('argocd-example-apps/pre-post-sync/pre-sync-job.yaml', 'Job/before').has('pss-restricted/seccomp'));
    assert.ok(policy.findings.some((f) => f.object.endsWith('*') && f.object.startsWith('Job/')));
  });
});
