// The release workflow and the supply chain it feeds: actionlint (built from the Go module proxy by the
// harness) passes on every workflow and fails a broken one; the release builds, scans, describes, signs and
// attests every service image before proposing it for dev; and the identity it signs with is exactly the one
// the rendered Kyverno policy verifies.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { loadModel } from '../../render/sources.ts';
import { ACTIONLINT, ensureGoTool } from '../harness/go-tools.ts';
import { releaseImages, SHARED_LIBRARY } from './release-images.ts';

const repo = join(import.meta.dirname, '..', '..');
const WORKFLOWS = join(repo, '.github', 'workflows');
const RELEASE = '.github/workflows/release.yml';
type Step = { name?: string; id?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Job = { needs?: string | string[]; permissions?: Record<string, string>; steps: Step[]; strategy?: { matrix: Record<string, unknown> } };
const release = parse(readFileSync(join(repo, RELEASE), 'utf8')) as { on: { push: { branches: string[] } }; env: Record<string, string>; jobs: Record<string, Job> };

describe('actionlint', () => {
  let actionlint: string;
  const scratch = mkdtempSync(join(tmpdir(), 'gm-actionlint-'));
  before(() => {
    actionlint = ensureGoTool(ACTIONLINT);
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('passes on every workflow', () => {
    const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(WORKFLOWS, f));
    assert.ok(files.length >= 2);
    const run = spawnSync(actionlint, ['-no-color', ...files], { cwd: repo, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stdout + run.stderr);
  });

  it('fails a workflow with a broken expression, naming file, line and problem', () => {
    const broken = readFileSync(join(repo, RELEASE), 'utf8').replace('${{ matrix.repository }}:${{ github.sha }}', '${{ matrix.repository }}:${{ github.shaa }}');
    const file = join(scratch, 'release.yml');
    writeFileSync(file, broken);
    const run = spawnSync(actionlint, ['-no-color', file], { cwd: repo, encoding: 'utf8' });
    assert.equal(run.status, 1, run.stdout);
    assert.match(run.stdout, /release\.yml:\d+:\d+: property "shaa" is not defined/);
  });
});

describe('release workflow', () => {
  const steps = (job: string) => release.jobs[job].steps;
  const index = (job: string, match: (s: Step) => boolean) => steps(job).findIndex(match);

  it('runs on push to main only', () => {
    assert.deepEqual(Object.keys(release.on), ['push']);
    assert.deepEqual(release.on.push.branches, ['main']);
  });

  it('builds every service workspace of apps/ from apps/Dockerfile', () => {
    const { workspaces } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { workspaces: string[] };
    assert.deepEqual(releaseImages(repo).map((i) => `apps/${i.service}`), workspaces.filter((w) => w !== SHARED_LIBRARY).sort());
    for (const image of releaseImages(repo)) assert.ok(image.repository.startsWith(image.registry + '/'));
    assert.equal(release.jobs.images.strategy!.matrix.include, '${{ fromJSON(needs.services.outputs.images) }}');
    assert.match(steps('services').find((s) => s.id === 'list')!.run!, /node scripts\/ci\/release-images\.ts/);
    const build = steps('images').find((s) => s.id === 'build')!;
    assert.match(build.uses!, /^docker\/build-push-action@/);
    assert.equal(build.with!.file, 'apps/Dockerfile');
    assert.equal(build.with!['build-args'], 'SERVICE=${{ matrix.service }}');
  });

  it('scans (failing on critical), writes an SBOM, then signs and attests, in that order', () => {
    const scan = index('images', (s) => s.uses?.startsWith('aquasecurity/trivy-action@') === true);
    const sbom = index('images', (s) => s.uses?.startsWith('anchore/sbom-action@') === true);
    const sign = index('images', (s) => /^cosign sign --yes "\$IMAGE"$/.test(s.run ?? ''));
    const attest = index('images', (s) => /^cosign attest --yes --type spdxjson --predicate sbom\.spdx\.json "\$IMAGE"$/.test(s.run ?? ''));
    assert.ok(index('images', (s) => s.id === 'build') < scan && scan < sbom && sbom < sign && sign < attest, `${scan} ${sbom} ${sign} ${attest}`);
    const trivy = steps('images')[scan].with!;
    assert.equal(trivy.severity, 'CRITICAL');
    assert.equal(trivy['exit-code'], '1');
    assert.equal(steps('images')[sbom].with!['output-file'], 'sbom.spdx.json');
    assert.equal(release.jobs.images.permissions!['id-token'], 'write', 'keyless signing needs the OIDC token');
  });

  it('proposes the new digests for dev through npm run promote, as a pull request', () => {
    assert.equal(release.jobs.promote.needs, 'images');
    const promote = steps('promote').find((s) => /npm run --silent promote -- /.test(s.run ?? ''))!;
    assert.match(promote.run!, /promote -- "\$\{built\[@\]\}" --from build --to dev --format markdown > promotion\.md/);
    assert.ok(steps('promote').some((s) => s.uses?.startsWith('peter-evans/create-pull-request@') && s.with!['body-path'] === 'promotion.md'));
    const scripts = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    assert.ok('promote' in scripts && 'render' in scripts);
  });
});

describe('the signing identity', () => {
  const signing = loadModel('prod').policies.imageSigning;

  it('the workflow signs and verifies with exactly the identity the model declares', () => {
    assert.equal(release.env.SIGNING_ISSUER, signing.issuer);
    assert.equal(release.env.SIGNING_SUBJECT, signing.subject);
    const verify = release.jobs.images.steps.find((s) => /cosign verify /.test(s.run ?? ''))!.run!;
    assert.match(verify, /--certificate-oidc-issuer "\$SIGNING_ISSUER" --certificate-identity "\$SIGNING_SUBJECT"/);
  });

  it('that identity is this workflow file on the branch it runs on, through GitHub\'s issuer', () => {
    assert.equal(signing.issuer, 'https://token.actions.githubusercontent.com');
    const match = /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/(.+)@refs\/heads\/(.+)$/.exec(signing.subject);
    assert.ok(match, signing.subject);
    assert.equal(match[1], RELEASE);
    assert.deepEqual(release.on.push.branches, [match[2]]);
  });

  it('the rendered Kyverno policy of every environment verifies exactly that identity, keyless, signature and SBOM attestation', () => {
    for (const env of ['dev', 'staging', 'prod']) {
      const policy = parse(readFileSync(join(repo, 'rendered', env, 'platform/policies/clusterpolicy-verify-image-signatures.yaml'), 'utf8'));
      const verify = policy.spec.rules[0].verifyImages[0];
      const expected = { issuer: signing.issuer, subject: signing.subject, rekor: { url: 'https://rekor.sigstore.dev' } };
      assert.deepEqual(verify.attestors[0].entries.map((e: { keyless: unknown }) => e.keyless), [expected], env);
      assert.deepEqual(verify.attestations[0].attestors[0].entries.map((e: { keyless: unknown }) => e.keyless), [expected], env);
      assert.equal(verify.attestations[0].type, 'https://spdx.dev/Document');
      assert.ok(!JSON.stringify(policy).includes('cosign-public-key'), 'no key Secret');
    }
  });
});
