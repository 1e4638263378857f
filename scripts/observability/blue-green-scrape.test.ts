// The blue-green services' ServiceMonitor relabelings on a real Prometheus. The monitor selects both the active
// and the preview Service, so the operator's scrape job discovers each pod once per Service, labelled with that
// Service's name. The job below stands in for the operator's: the same pod listed under both Services (as after a
// promotion, when both select the new pods), the operator's `service` and `job` labels from each, then the
// rendered relabelings appended as the operator appends them. With them the pod is one target named after the
// service; without them it is two targets and every series twice, one of them out of the SLIs' reach.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { loadModel } from '../../render/sources.ts';
import { previewServiceName } from '../../generators/delivery/rollouts.ts';
import { type PrometheusServer, startPrometheus } from '../harness/prometheus.ts';
import { renderedObject } from './rendered-stack.ts';

const model = loadModel('prod');
const service = model.services.find((s) => s.name === 'prediction-api')!;
const [endpoint] = renderedObject('prod', `tenants/${service.tenant}/${service.namespace}/servicemonitor-${service.name}.yaml`).spec.endpoints;

/** The operator's relabeling fields in Prometheus' own spelling. */
const asPrometheus = (r: { action: string; targetLabel: string; replacement: string }) => ({ action: r.action, target_label: r.targetLabel, replacement: r.replacement });

describe('a pod behind both Services of a blue-green service (real Prometheus)', () => {
  let pod: Server;
  let prometheus: PrometheusServer;
  before(async () => {
    pod = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end('# TYPE http_requests_total counter\nhttp_requests_total{route="/v1/predict",status_code="200"} 7\n'));
    await new Promise<void>((resolve) => pod.listen(0, '127.0.0.1', resolve));
    const target = `127.0.0.1:${(pod.address() as AddressInfo).port}`;
    const groups = [service.name, previewServiceName(service)].map((svc) => ({ targets: [target], labels: { namespace: service.namespace, service: svc, job: svc, pod: `${service.name}-7d9f-a`, endpoint: endpoint.port } }));
    prometheus = await startPrometheus({
      scrape: [],
      scrapeConfigs: [
        { job_name: 'with-relabelings', static_configs: groups.map((g) => ({ ...g, labels: { ...g.labels, monitor: 'rendered' } })), relabel_configs: endpoint.relabelings.map(asPrometheus) },
        { job_name: 'without', static_configs: groups.map((g) => ({ ...g, labels: { ...g.labels, monitor: 'none' } })) },
      ],
    });
  });
  after(async () => {
    await prometheus?.stop();
    pod?.close();
  });

  type Target = { scrapePool: string; labels: Record<string, string> };
  /** The active targets of each job, once discovery has listed the pod under both Services for the job without relabelings. */
  const targets = async (): Promise<Record<string, Target[]>> => {
    for (let i = 0; i < 300; i++) {
      const { activeTargets } = (await prometheus.get('/api/v1/targets?state=active')) as { activeTargets: Target[] };
      const byJob: Record<string, Target[]> = {};
      for (const t of activeTargets) (byJob[t.scrapePool] ??= []).push(t);
      if (byJob.without?.length === 2 && byJob['with-relabelings']) return byJob;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('Prometheus never listed both scrape jobs\' targets');
  };

  test('with the rendered relabelings: one target, under the service\'s own name, and its series once', async () => {
    const jobs = await targets();
    assert.equal(jobs['with-relabelings'].length, 1, JSON.stringify(jobs['with-relabelings']));
    assert.equal(jobs['with-relabelings'][0].labels.service, service.name);
    assert.equal(jobs['with-relabelings'][0].labels.job, service.name);
    let series = await prometheus.query('http_requests_total{monitor="rendered"}');
    for (let i = 0; i < 300 && series.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      series = await prometheus.query('http_requests_total{monitor="rendered"}');
    }
    assert.deepEqual(series.map((x) => x.metric.service), [service.name]);
  });

  test('without them: two targets, one named after the preview Service (the failing case)', async () => {
    const jobs = await targets();
    assert.deepEqual(jobs.without.map((t) => t.labels.service).sort(), [service.name, previewServiceName(service)].sort());
  });
});
