// The rendered Alertmanager configuration, checked with the real tools: amtool check-config, amtool's route
// test for every owner (critical → its PagerDuty receiver, and its Opsgenie receiver where its owners name
// Opsgenie teams; warning and info → its Slack receiver), and a real Alertmanager proving the inhibition (a
// broker down suppresses the consumer-lag alerts of every tenant) and what it sends to Opsgenie and PagerDuty
// (to a local HTTP server standing in for their APIs: the request Alertmanager builds is real, the services are not).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { stringify } from 'yaml';
import { ALERTMANAGER_RECEIVERS_SECRET } from '../../generators/observability/stack/names.ts';
import { OPSGENIE_PRIORITY, PLATFORM_TENANT, alertRecipients, opsgenieKey, opsgenieReceiver, opsgenieTeams, pagerDutyReceiver, slackReceiver } from '../../generators/observability/stack/alertmanager.ts';
import { environmentNames, loadModel } from '../../render/sources.ts';
import { type AlertmanagerServer, listAlerts, postAlerts, startAlertmanager } from '../harness/alertmanager.ts';
import { requireCommand } from '../harness/process.ts';
import { renderedObject, stackValues } from './rendered-stack.ts';

const amtool = requireCommand('amtool', 'Install it with: apt-get install -y prometheus-alertmanager (or run scripts/harness/setup.sh).');
const dir = mkdtempSync(join(tmpdir(), 'gm-amtool-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function configFile(env: string): string {
  const file = join(dir, `${env}.yml`);
  writeFileSync(file, stringify(stackValues(env).alertmanager.config));
  return file;
}

function amtoolRun(args: string[]): { status: number | null; out: string } {
  const r = spawnSync(amtool, args, { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** The receivers amtool's routing tree gives an alert with these labels. */
function routes(file: string, labels: Record<string, string>): string[] {
  const r = amtoolRun(['config', 'routes', 'test', `--config.file=${file}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)]);
  assert.equal(r.status, 0, r.out);
  return r.out.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('Warning:')).flatMap((l) => l.split(','));
}

for (const env of environmentNames()) {
  describe(`Alertmanager in ${env}`, () => {
    const model = loadModel(env);
    const file = configFile(env);
    const config = stackValues(env).alertmanager.config;

    test('amtool check-config accepts the rendered configuration', () => {
      const r = amtoolRun(['check-config', file]);
      assert.equal(r.status, 0, r.out);
      assert.match(r.out, /SUCCESS/);
      assert.match(r.out, /1 inhibit rules/);
    });

    for (const recipient of alertRecipients(model)) {
      const paged = [pagerDutyReceiver(recipient.tenant), ...(opsgenieTeams(recipient).length > 0 ? [opsgenieReceiver(recipient.tenant)] : [])];
      test(`${recipient.tenant}: critical goes to ${paged.join(' and ')}, warning and info go to ${slackReceiver(recipient.tenant)}`, () => {
        assert.deepEqual(routes(file, { alertname: 'Any', tenant: recipient.tenant, severity: 'critical' }), paged);
        assert.deepEqual(routes(file, { alertname: 'Any', tenant: recipient.tenant, severity: 'warning' }), [slackReceiver(recipient.tenant)]);
        assert.deepEqual(routes(file, { alertname: 'Any', tenant: recipient.tenant, severity: 'info' }), [slackReceiver(recipient.tenant)]);
      });

      test(`${recipient.tenant}: the receivers name its owners and read credentials from the mounted Secret`, () => {
        const pd = config.receivers.find((r: any) => r.name === pagerDutyReceiver(recipient.tenant));
        const slack = config.receivers.find((r: any) => r.name === slackReceiver(recipient.tenant));
        for (const o of recipient.owners) assert.match(pd.pagerduty_configs[0].details.owners, new RegExp(o.email.replace('.', '\\.')));
        assert.deepEqual(slack.slack_configs.map((c: any) => c.channel).sort(), [...new Set(recipient.owners.map((o) => o.slack))].sort());
        assert.match(pd.pagerduty_configs[0].routing_key_file, new RegExp(`^/etc/alertmanager/secrets/${ALERTMANAGER_RECEIVERS_SECRET}/`));
        for (const c of slack.slack_configs) assert.match(c.api_url_file, new RegExp(`^/etc/alertmanager/secrets/${ALERTMANAGER_RECEIVERS_SECRET}/`));
      });
    }

    test('an Opsgenie receiver exists exactly for the owners that name Opsgenie teams, with those teams as responders', () => {
      const platform = alertRecipients(model).find((r) => r.tenant === PLATFORM_TENANT)!;
      assert.ok(opsgenieTeams(platform).length > 0, 'the platform team declares its Opsgenie team (model/monitoring.ts)');
      for (const recipient of alertRecipients(model)) {
        const receiver = config.receivers.find((r: any) => r.name === opsgenieReceiver(recipient.tenant));
        const teams = opsgenieTeams(recipient);
        if (teams.length === 0) { assert.equal(receiver, undefined, recipient.tenant); continue; }
        const [og] = receiver.opsgenie_configs;
        assert.deepEqual(og.responders, teams.map((name) => ({ name, type: 'team' })));
        assert.equal(og.priority, OPSGENIE_PRIORITY);
        assert.equal(og.api_key_file, `/etc/alertmanager/secrets/${ALERTMANAGER_RECEIVERS_SECRET}/${opsgenieKey(recipient)}`);
        assert.equal(og.api_key, undefined);
      }
    });

    test('an alert of no known tenant is the platform team\'s', () => {
      const platform = alertRecipients(model).find((r) => r.tenant === PLATFORM_TENANT)!;
      assert.deepEqual(routes(file, { alertname: 'Any', severity: 'critical' }), [pagerDutyReceiver(PLATFORM_TENANT), ...(opsgenieTeams(platform).length > 0 ? [opsgenieReceiver(PLATFORM_TENANT)] : [])]);
      assert.deepEqual(routes(file, { alertname: 'Any', severity: 'warning' }), [slackReceiver(PLATFORM_TENANT)]);
    });

    test('no credential in the configuration: every key file is a key of the ExternalSecret, and the Secret is mounted', () => {
      const text = JSON.stringify(config);
      assert.doesNotMatch(text, /"(routing_key|service_key|api_url|api_key)"\s*:/);
      const files = [...text.matchAll(/\/etc\/alertmanager\/secrets\/[^/]+\/([^"]+)"/g)].map((m) => m[1]);
      const es = renderedObject(env, `platform/secrets/${model.platform.monitoring.namespace}/externalsecret-${ALERTMANAGER_RECEIVERS_SECRET}.yaml`);
      const keys = es.spec.data.map((d: any) => d.secretKey);
      assert.ok(files.length >= 2);
      for (const f of files) assert.ok(keys.includes(f), `${f} is not a key of ExternalSecret ${ALERTMANAGER_RECEIVERS_SECRET}`);
      assert.deepEqual(stackValues(env).alertmanager.alertmanagerSpec.secrets, [ALERTMANAGER_RECEIVERS_SECRET]);
    });
  });
}

describe('inhibition on a real Alertmanager (prod configuration)', () => {
  let am: AlertmanagerServer;
  const model = loadModel('prod');
  const tenants = model.tenants.map((t) => t.name);
  before(async () => {
    am = await startAlertmanager(stringify(stackValues('prod').alertmanager.config));
  });
  after(async () => am?.stop());

  const lag = (tenant: string) => ({ labels: { alertname: 'KafkaConsumerLagHigh', tenant, severity: 'warning', consumergroup: `${tenant}-group` } });
  const state = async (alertname: string, tenant: string) => (await listAlerts(am.url)).find((a) => a.labels.alertname === alertname && a.labels.tenant === tenant)?.status;

  test('lag alerts fire on their own, and a broker down silences every tenant\'s, not other alerts', async () => {
    await postAlerts(am.url, [...tenants.map(lag), { labels: { alertname: 'HighErrorRate', tenant: tenants[0], severity: 'warning' } }]);
    for (const t of tenants) assert.equal((await state('KafkaConsumerLagHigh', t))?.state, 'active', `${t}: lag alert before the broker is down`);
    await postAlerts(am.url, [{ labels: { alertname: 'KafkaBrokerDown', tenant: PLATFORM_TENANT, severity: 'critical', pod: 'gamemetrics-kafka-0' } }]);
    for (const t of tenants) {
      const s = await state('KafkaConsumerLagHigh', t);
      assert.equal(s?.state, 'suppressed', `${t}: lag alert while a broker is down`);
      assert.equal(s?.inhibitedBy.length, 1);
    }
    assert.equal((await state('HighErrorRate', tenants[0]))?.state, 'active');
    assert.equal((await state('KafkaBrokerDown', PLATFORM_TENANT))?.state, 'active');
  });
});

test('amtool check-config refuses an Opsgenie receiver with no API key (the rendered one reads it from the Secret)', () => {
  const broken = structuredClone(stackValues('prod').alertmanager.config);
  const og = broken.receivers.find((r: any) => r.opsgenie_configs);
  assert.ok(og, 'prod renders an Opsgenie receiver');
  delete og.opsgenie_configs[0].api_key_file;
  const file = join(dir, 'opsgenie-without-key.yml');
  writeFileSync(file, stringify(broken));
  const r = amtoolRun(['check-config', file]);
  assert.notEqual(r.status, 0);
  assert.match(r.out, /OpsGenie API Key/i);
});

describe('what a real Alertmanager sends for a critical platform alert (prod configuration)', () => {
  type Received = { path: string; headers: IncomingHttpHeaders; body: any };
  const received: Received[] = [];
  const api = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => { text += chunk; });
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: text ? JSON.parse(text) : null });
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"result":"ok","requestId":"1"}');
    });
  });
  let am: AlertmanagerServer;
  const model = loadModel('prod');
  const platform = alertRecipients(model).find((r) => r.tenant === PLATFORM_TENANT)!;
  before(async () => {
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    const local = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    // The Secret's files, each holding a fake key (Slack's: the local URL); the APIs' addresses point here.
    const secrets = join(dir, 'secrets');
    mkdirSync(secrets, { recursive: true });
    const config = structuredClone(stackValues('prod').alertmanager.config);
    const text = JSON.stringify(config).replaceAll(`/etc/alertmanager/secrets/${ALERTMANAGER_RECEIVERS_SECRET}/`, `${secrets}/`);
    for (const key of new Set([...text.matchAll(new RegExp(`${secrets}/([^"]+)`, 'g'))].map((m) => m[1]))) {
      writeFileSync(join(secrets, key), key.startsWith('slack-') ? `${local}/slack/${key}` : `key-of-${key}`);
    }
    const served = JSON.parse(text);
    served.global = { ...served.global, opsgenie_api_url: `${local}/opsgenie/`, pagerduty_url: `${local}/pagerduty/v2/enqueue` };
    served.route.group_wait = '0s';
    am = await startAlertmanager(stringify(served));
  });
  after(async () => {
    await am?.stop();
    api.close();
  });

  test('Opsgenie gets a P1 alert for the platform\'s Opsgenie team with the key from its file; PagerDuty is paged too', async () => {
    await postAlerts(am.url, [{ labels: { alertname: 'KafkaBrokerDown', tenant: PLATFORM_TENANT, severity: 'critical' }, annotations: { summary: 'broker 0 down', runbook_url: 'https://runbooks/KafkaBrokerDown' } }]);
    const deadline = Date.now() + 60_000;
    const find = (prefix: string) => received.find((r) => r.path.startsWith(prefix));
    while ((!find('/opsgenie/') || !find('/pagerduty/')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const og = find('/opsgenie/');
    assert.ok(og, `Opsgenie was not called; got ${received.map((r) => r.path).join(', ')}`);
    assert.equal(og.path, '/opsgenie/v2/alerts');
    assert.equal(og.headers.authorization, `GenieKey key-of-${opsgenieKey(platform)}`);
    assert.equal(og.body.priority, OPSGENIE_PRIORITY);
    assert.deepEqual(og.body.responders, opsgenieTeams(platform).map((name) => ({ name, type: 'team' })));
    assert.equal(og.body.message, 'KafkaBrokerDown: broker 0 down');
    assert.equal(og.body.details.tenant, PLATFORM_TENANT);
    assert.ok(find('/pagerduty/'), 'PagerDuty is paged as well');
    assert.equal(received.filter((r) => r.path.startsWith('/slack/')).length, 0, 'a critical alert does not go to Slack');
  });
});
