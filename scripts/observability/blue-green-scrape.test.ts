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

  const scraped = async (monitor: string) => {
    for (let i = 0; i < 300; i++) {
      const up = await prometheus.query(`up{monitor="${monitor}"}`);
      if (up.length > 0) return up;
      await new Promise((r) => setTimeout(r, 200));
    }
    return [];
  };

  test('with the rendered relabelings: one target, under the service\'s own name', async () => {
    const up = await scraped('rendered');
    assert.equal(up.length, 1, JSON.stringify(up));
    assert.equal(up[0].metric.service, service.name);
    assert.equal(up[0].metric.job, service.name);
    const series = await prometheus.query(`http_requests_total{monitor="rendered"}`);
    assert.equal(series.length, 1);
  });

  test('without them: two targets, one named after the preview Service (the failing case)', async () => {
    const up = await scraped('none');
    assert.deepEqual(up.map((s) => s.metric.service).sort(), [service.name, previewServiceName(service)].sort());
  });
});
