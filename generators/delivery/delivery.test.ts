// Progressive delivery of the real model: which services run as Rollouts, their strategies, the analysis
// (the SLOs' own SLIs) and the objects that must follow the Rollout (HPA, PDB, NetworkPolicy, Services).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { generate } from '../index.ts';
import type { KubeObject } from '../core/types.ts';
import { errorBudget, sliErrorRatio } from '../observability/slo/sli.ts';
import { loadModel } from '../../render/sources.ts';
import { ANALYSIS_WINDOW } from './analysis-templates.ts';
import { stackEndpoints } from '../observability/stack/names.ts';

const model = loadModel('prod');
const objects = generate(model).map((f) => f.object);
const find = (kind: string, name: string): any => objects.find((o) => o.kind === kind && o.metadata.name === name);
const service = (name: string) => model.services.find((s) => s.name === name)!;

/** An analysis call with the hash of the Rollout's latest pods (the canary, or the blue-green preview). */
const latest = (templateName: string) => ({ templates: [{ templateName }], args: [{ name: 'pod-template-hash', valueFrom: { podTemplateHashValue: 'Latest' } }] });

describe('progressive delivery (prod)', () => {
  test('the services marked for it run as Rollouts, and have no Deployment', () => {
    const rollouts = objects.filter((o) => o.kind === 'Rollout').map((o) => o.metadata.name).sort();
    assert.deepEqual(rollouts, ['admin-dashboard', 'analytics-api', 'event-ingestion', 'prediction-api']);
    for (const name of rollouts) assert.equal(find('Deployment', name), undefined, `${name} also has a Deployment`);
    assert.ok(find('Deployment', 'user-service'), 'rolling services keep their Deployment');
  });

  test('canary: 10 % → 50 % → 100 %, each held 5 minutes and analysed against the SLOs', () => {
    const r = find('Rollout', 'event-ingestion');
    assert.equal(r.apiVersion, 'argoproj.io/v1alpha1');
    assert.deepEqual(r.spec.strategy.canary.steps, [
      { setWeight: 10 }, { pause: { duration: '5m' } }, { analysis: latest('event-ingestion-slo') },
      { setWeight: 50 }, { pause: { duration: '5m' } }, { analysis: latest('event-ingestion-slo') },
      { setWeight: 100 },
    ]);
    assert.equal(r.spec.replicas, undefined, 'autoscaled: replicas belong to the HPA');
    assert.deepEqual(r.spec.selector.matchLabels, { 'app.kubernetes.io/name': 'event-ingestion', 'app.kubernetes.io/instance': 'event-ingestion' });
    assert.equal(r.spec.template.spec.containers[0].name, 'event-ingestion');
    assert.match(r.spec.template.metadata.annotations['gamemetrics.dev/config-hash'], /^sha256:/);
  });

  test("the analysis queries are the SLOs' own SLIs, guarded against empty results, failing above the error budget", () => {
    for (const name of ['event-ingestion', 'analytics-api']) {
      const t = find('AnalysisTemplate', `${name}-slo`);
      const s = service(name);
      assert.deepEqual(t.spec.metrics.map((m: any) => m.name), s.slos.map((slo) => slo.name));
      for (const [i, slo] of s.slos.entries()) {
        const m = t.spec.metrics[i];
        // The SLI of the new pods only: every request selector names the pod-template hash argument.
        const query: string = m.provider.prometheus.query;
        assert.equal(query, sliErrorRatio(s, slo, ANALYSIS_WINDOW, 'rollouts_pod_template_hash="{{args.pod-template-hash}}"'));
        const selectors = query.match(/\{[^{}]*(?:\{\{[^}]*\}\}[^{}]*)*\}/g) ?? [];
        assert.ok(selectors.length >= 2 && selectors.every((sel) => sel.includes('rollouts_pod_template_hash="{{args.pod-template-hash}}"')), query);
        assert.equal(m.provider.prometheus.address, stackEndpoints(model).prometheus);
        assert.equal(m.successCondition, `len(result) == 0 || result[0] <= ${errorBudget(slo)}`);
        assert.equal(m.failureCondition, `len(result) > 0 && result[0] > ${errorBudget(slo)}`);
        assert.equal(m.failureLimit, 0);
      }
    }
    // The rule group records the same expression over all pods: one source for rules and analysis.
    const rules = find('PrometheusRule', 'slo-event-ingestion');
    const record = rules.spec.groups[0].rules.find((r: any) => r.record === 'slo:sli_error:ratio_rate5m');
    const analysed = find('AnalysisTemplate', 'event-ingestion-slo');
    assert.equal(record.expr, analysed.spec.metrics[0].provider.prometheus.query.replaceAll(',rollouts_pod_template_hash="{{args.pod-template-hash}}"', ''));
    assert.deepEqual(analysed.spec.args, [{ name: 'pod-template-hash' }]);
  });

  test("the ServiceMonitor of every Rollout copies the pod-template hash onto its series, which the analysis selects on", () => {
    for (const name of ['event-ingestion', 'analytics-api', 'admin-dashboard']) {
      assert.ok(find('Rollout', name), name);
      assert.deepEqual(find('ServiceMonitor', name).spec.podTargetLabels, ['rollouts-pod-template-hash'], name);
    }
  });

  test('blue-green for admin-dashboard: active and preview Services, analysis before and after promotion', () => {
    const bg = find('Rollout', 'admin-dashboard').spec.strategy.blueGreen;
    assert.deepEqual(bg, {
      activeService: 'admin-dashboard', previewService: 'admin-dashboard-preview', autoPromotionEnabled: true,
      prePromotionAnalysis: latest('admin-dashboard-slo'),
      postPromotionAnalysis: latest('admin-dashboard-slo'),
      scaleDownDelaySeconds: 600,
      abortScaleDownDelaySeconds: 30,
    });
    const active = find('Service', 'admin-dashboard');
    const preview = find('Service', 'admin-dashboard-preview');
    assert.deepEqual(preview.spec.selector, active.spec.selector);
    assert.deepEqual(preview.spec.ports, active.spec.ports);
  });

  test('prediction-api is released blue-green: preview Service, analysis on its SLOs before and after the switch, automatic way back', () => {
    const r = find('Rollout', 'prediction-api');
    assert.equal(find('Deployment', 'prediction-api'), undefined);
    const bg = r.spec.strategy.blueGreen;
    assert.equal(bg.activeService, 'prediction-api');
    assert.equal(bg.previewService, 'prediction-api-preview');
    assert.equal(bg.autoPromotionEnabled, true, 'promoted by the analysis, not by hand');
    assert.deepEqual(bg.prePromotionAnalysis, latest('prediction-api-slo'));
    assert.deepEqual(bg.postPromotionAnalysis, latest('prediction-api-slo'));
    // A failed post-promotion analysis switches back to the old pods only while they run: the analysis must end first.
    const t = find('AnalysisTemplate', 'prediction-api-slo');
    const minutes = (d: string) => Number(d.replace(/m$/, ''));
    for (const m of t.spec.metrics) assert.ok(minutes(m.interval) * m.count * 60 + minutes(ANALYSIS_WINDOW) * 60 <= bg.scaleDownDelaySeconds, `${m.name} ends before the old pods go`);
    assert.ok(bg.abortScaleDownDelaySeconds > 0, 'an aborted preview is scaled away');
    // The analysis judges every request SLO of the service, on the new pods alone, failing above the error budget.
    const s = service('prediction-api');
    assert.deepEqual(t.spec.metrics.map((m: any) => m.name), s.slos.map((slo) => slo.name));
    for (const [i, slo] of s.slos.entries()) {
      assert.equal(t.spec.metrics[i].provider.prometheus.query, sliErrorRatio(s, slo, ANALYSIS_WINDOW, 'rollouts_pod_template_hash="{{args.pod-template-hash}}"'));
      assert.equal(t.spec.metrics[i].failureCondition, `len(result) > 0 && result[0] > ${errorBudget(slo)}`);
    }
    // Users reach the active Service through the Ingress; the preview has the same ports and pods' labels.
    const ingress = find('Ingress', 'prediction-api');
    assert.equal(ingress.spec.rules[0].http.paths[0].backend.service.name, 'prediction-api');
    const preview = find('Service', 'prediction-api-preview');
    assert.deepEqual(preview.spec.selector, find('Service', 'prediction-api').spec.selector);
    assert.deepEqual(preview.spec.ports, find('Service', 'prediction-api').spec.ports);
    // The HPA scales the Rollout, on requests per second too.
    const hpa = find('HorizontalPodAutoscaler', 'prediction-api');
    assert.deepEqual(hpa.spec.scaleTargetRef, { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'prediction-api' });
    assert.ok(hpa.spec.metrics.some((m: any) => m.type === 'Pods'));
  });

  test("blue-green services' monitors name every target after the service, so preview pods are measured and no pod twice", () => {
    for (const name of ['prediction-api', 'admin-dashboard']) {
      const [endpoint] = find('ServiceMonitor', name).spec.endpoints;
      assert.deepEqual(endpoint.relabelings, [
        { action: 'replace', targetLabel: 'service', replacement: name },
        { action: 'replace', targetLabel: 'job', replacement: name },
      ], name);
    }
    for (const name of ['event-ingestion', 'user-service']) assert.equal(find('ServiceMonitor', name).spec.endpoints[0].relabelings, undefined, `${name} has one Service`);
  });

  test('HPAs scale the Rollout; PDBs and NetworkPolicies select its pods', () => {
    for (const name of ['event-ingestion', 'analytics-api']) {
      const hpa = find('HorizontalPodAutoscaler', name);
      assert.deepEqual(hpa.spec.scaleTargetRef, { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name });
      const podLabels = find('Rollout', name).spec.template.metadata.labels;
      const pdb = find('PodDisruptionBudget', name);
      for (const [k, v] of Object.entries(pdb.spec.selector.matchLabels)) assert.equal(podLabels[k], v, `PDB ${name} selects ${k}=${v}`);
      const policies = objects.filter((o: KubeObject) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'gamemetrics' && o.metadata.name === name) as any[];
      assert.equal(policies.length, 1);
      for (const [k, v] of Object.entries(policies[0].spec.podSelector.matchLabels)) assert.equal(podLabels[k], v);
    }
    assert.equal(find('HorizontalPodAutoscaler', 'user-service').spec.scaleTargetRef.kind, 'Deployment');
  });

  test('the Argo Rollouts controller is a pinned chart that syncs before the Rollouts; the rules sync after the monitoring stack\'s CRDs', () => {
    const app = (name: string) => objects.find((o) => o.kind === 'Application' && o.metadata.name === `prod-${name}`) as any;
    const wave = (name: string) => Number(app(name).metadata.annotations['argocd.argoproj.io/sync-wave']);
    assert.equal(app('argo-rollouts').spec.source.chart, 'argo-rollouts');
    assert.equal(app('argo-rollouts').spec.source.targetRevision, '2.40.1');
    assert.ok(wave('argo-rollouts') < wave('gamemetrics'));
    assert.ok(wave('kube-prometheus-stack') < wave('slo-rules'), 'the PrometheusRule CRD first');
  });
});
