// Prometheus' local storage bounds as rendered: each environment's kube-prometheus-stack values carry the
// model's retention and retention size, and a real Prometheus started with the flags the operator derives from
// them (--storage.tsdb.retention.time, --storage.tsdb.retention.size) reports exactly those bounds; a malformed
// size makes it refuse to start.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { parseDuration, parseMemory } from '../../model/quantities.ts';
import { environmentNames, loadModel } from '../../render/sources.ts';
import { type PrometheusServer, startPrometheus } from '../harness/prometheus.ts';
import { requireCommand } from '../harness/process.ts';
import { stackValues } from './rendered-stack.ts';

/** The operator's ByteSize pattern for `retentionSize` (monitoring.coreos.com/v1 Prometheus). */
const OPERATOR_BYTE_SIZE = /(^0|([0-9]*[.])?[0-9]+((K|M|G|T|E|P)i?)?B)$/;
const GiB = 2 ** 30;

for (const env of environmentNames()) {
  describe(`Prometheus storage bounds in ${env}`, () => {
    const m = loadModel(env).environment.monitoring!;
    const spec = stackValues(env).prometheus.prometheusSpec;
    let prometheus: PrometheusServer;
    before(async () => {
      prometheus = await startPrometheus({ scrape: [], args: [`--storage.tsdb.retention.time=${spec.retention}`, `--storage.tsdb.retention.size=${spec.retentionSize}`] });
    });
    after(async () => prometheus?.stop());

    test('the rendered values bound the TSDB in time and size, within the volume', () => {
      assert.equal(spec.retention, m.prometheus.retention);
      assert.match(spec.retentionSize, OPERATOR_BYTE_SIZE);
      assert.equal(spec.retentionSize, m.prometheus.retentionSize.replace(/i$/, 'B'));
      const volume = spec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage;
      assert.ok(parseMemory(m.prometheus.retentionSize)! <= parseMemory(volume)!, `${spec.retentionSize} fits in ${volume}`);
    });

    test('a real Prometheus with those flags reports the same bounds, the size in base-2 units', async () => {
      const info = (await prometheus.get('/api/v1/status/runtimeinfo')) as { storageRetention: string };
      const gib = parseMemory(m.prometheus.retentionSize)! / GiB;
      // Prometheus prints the duration in its largest whole unit (7d as 1w).
      const [time, size] = info.storageRetention.split(' or ');
      assert.equal(parseDuration(time), parseDuration(m.prometheus.retention), info.storageRetention);
      assert.equal(size, `${gib}GiB`);
    });
  });
}

test("Kubernetes' own unit (Gi) is not Prometheus': it refuses to start, which is why the size is rendered in GB", () => {
  const prometheus = requireCommand('prometheus', 'Install it with: apt-get install -y prometheus (or run scripts/harness/setup.sh).');
  const run = spawnSync(prometheus, ['--storage.tsdb.retention.size=50Gi', '--storage.tsdb.path=/nonexistent/never-created', '--web.listen-address=127.0.0.1:0'], { encoding: 'utf8', timeout: 60_000 });
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /unknown unit Gi in 50Gi/);
});
