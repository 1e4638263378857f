// The Alertmanager configuration, from the model: one route per owner (each tenant, and `platform` for the
// platform's own alerts) matched on the `tenant` label; inside it `critical` pages the owner's PagerDuty service
// (and, where its owners name Opsgenie teams, also opens a P1 Opsgenie alert for them) and everything else goes
// to the owners' Slack channels. Inhibitions come from model/monitoring.ts. Receiver credentials are files of the
// `alertmanager-receivers` Secret (an ExternalSecret), never values here.
import type { LoadedAlertOwner, LoadedModel } from '../../../model/loaded.ts';
import { goDuration } from '../../../model/secrets.ts';
import { alertmanagerSecretFile } from './names.ts';

/** Who an alert's `tenant` label names: a tenant, or the platform team. */
export interface AlertRecipient {
  /** The value of the `tenant` label. */
  tenant: string;
  owners: LoadedAlertOwner[];
}

/** The `tenant` label value of the platform's own alerts (contract 1). */
export const PLATFORM_TENANT = 'platform';

export function alertRecipients(model: LoadedModel): AlertRecipient[] {
  const fallback = model.platform.monitoring.alerting.defaultSlackChannel;
  return [
    ...model.tenants.map((t) => ({ tenant: t.name, owners: t.owners.map((o) => ({ team: o.team, email: o.email, slack: o.slack ?? fallback, opsgenie: o.opsgenie ?? null })) })),
    { tenant: PLATFORM_TENANT, owners: model.platform.monitoring.platformOwners },
  ];
}

/** Keys of the receivers Secret: one PagerDuty routing key per recipient, one Slack webhook URL per channel, one
 * Opsgenie API key per recipient whose owners name Opsgenie teams. */
export function pagerDutyKey(recipient: AlertRecipient): string {
  return `pagerduty-${recipient.tenant}`;
}
export function opsgenieKey(recipient: AlertRecipient): string {
  return `opsgenie-${recipient.tenant}`;
}
/** The Opsgenie teams of a recipient's owners (responders on its critical alerts), sorted; empty for none. */
export function opsgenieTeams(recipient: AlertRecipient): string[] {
  return [...new Set(recipient.owners.flatMap((o) => (o.opsgenie ? [o.opsgenie] : [])))].sort();
}
export function slackKey(channel: string): string {
  return `slack-${channel.replace(/^#/, '').replace(/[^a-z0-9-]/gi, '-').toLowerCase()}`;
}
export function receiverKeys(model: LoadedModel): string[] {
  const recipients = alertRecipients(model);
  const channels = recipients.flatMap((r) => r.owners.map((o) => o.slack));
  const opsgenie = recipients.filter((r) => opsgenieTeams(r).length > 0).map(opsgenieKey);
  return [...new Set([...recipients.map(pagerDutyKey), ...channels.map(slackKey), ...opsgenie])].sort();
}

export const pagerDutyReceiver = (tenant: string) => `${tenant}-pagerduty`;
export const slackReceiver = (tenant: string) => `${tenant}-slack`;
export const opsgenieReceiver = (tenant: string) => `${tenant}-opsgenie`;
/** Opsgenie's priority for the alerts it receives: only `critical` reaches it. */
export const OPSGENIE_PRIORITY = 'P1';

const ownersText = (owners: LoadedAlertOwner[]) => owners.map((o) => `${o.team} <${o.email}>`).join(', ');

function receivers(recipient: AlertRecipient): Record<string, unknown>[] {
  const owners = ownersText(recipient.owners);
  // What PagerDuty and Opsgenie show with the incident.
  const details = { tenant: recipient.tenant, owners, runbook: '{{ .CommonAnnotations.runbook_url }}', firing: '{{ .Alerts.Firing | len }}' };
  const channels = [...new Set(recipient.owners.map((o) => o.slack))];
  const teams = opsgenieTeams(recipient);
  const opsgenie = teams.length === 0 ? [] : [{
    name: opsgenieReceiver(recipient.tenant),
    opsgenie_configs: [{
      api_key_file: alertmanagerSecretFile(opsgenieKey(recipient)),
      send_resolved: true,
      message: '{{ .CommonLabels.alertname }}: {{ .CommonAnnotations.summary }}',
      description: `{{ .CommonAnnotations.description }}\nRunbook: {{ .CommonAnnotations.runbook_url }}\nOwners: ${owners}`,
      source: 'alertmanager',
      priority: OPSGENIE_PRIORITY,
      responders: teams.map((name) => ({ name, type: 'team' })),
      tags: `tenant=${recipient.tenant},{{ .CommonLabels.alertname }}`,
      details,
    }],
  }];
  return [
    {
      name: pagerDutyReceiver(recipient.tenant),
      pagerduty_configs: [{
        routing_key_file: alertmanagerSecretFile(pagerDutyKey(recipient)),
        send_resolved: true,
        severity: 'critical',
        description: '{{ .CommonLabels.alertname }}: {{ .CommonAnnotations.summary }}',
        details,
      }],
    },
    {
      name: slackReceiver(recipient.tenant),
      slack_configs: channels.map((channel) => ({
        api_url_file: alertmanagerSecretFile(slackKey(channel)),
        channel,
        send_resolved: true,
        title: '[{{ .Status | toUpper }}] {{ .CommonLabels.severity }} {{ .CommonLabels.alertname }}',
        text: `{{ .CommonAnnotations.summary }}\n{{ .CommonAnnotations.description }}\nRunbook: {{ .CommonAnnotations.runbook_url }}\nOwners: ${owners}`,
      })),
    },
    ...opsgenie,
  ];
}

/** `critical` pages PagerDuty and, where the owners name Opsgenie teams, continues to their Opsgenie receiver. */
function criticalRoutes(recipient: AlertRecipient): Record<string, unknown>[] {
  const critical = ['severity="critical"'];
  if (opsgenieTeams(recipient).length === 0) return [{ receiver: pagerDutyReceiver(recipient.tenant), matchers: critical }];
  return [
    { receiver: pagerDutyReceiver(recipient.tenant), matchers: critical, continue: true },
    { receiver: opsgenieReceiver(recipient.tenant), matchers: critical },
  ];
}

/** The whole Alertmanager configuration file, as an object (the chart's `alertmanager.config`). */
export function alertmanagerConfig(model: LoadedModel): Record<string, unknown> {
  const alerting = model.platform.monitoring.alerting;
  const recipients = alertRecipients(model);
  const ownerRoute = (r: AlertRecipient) => ({
    receiver: slackReceiver(r.tenant),
    matchers: [`tenant="${r.tenant}"`],
    routes: criticalRoutes(r),
  });
  return {
    global: { resolve_timeout: '5m' },
    route: {
      // Alerts without a known tenant are the platform team's.
      receiver: slackReceiver(PLATFORM_TENANT),
      group_by: [...alerting.groupBy],
      group_wait: goDuration(alerting.groupWait),
      group_interval: goDuration(alerting.groupInterval),
      repeat_interval: goDuration(alerting.repeatInterval),
      routes: [
        ...recipients.map(ownerRoute),
        ...criticalRoutes(recipients.find((r) => r.tenant === PLATFORM_TENANT)!),
      ],
    },
    inhibit_rules: alerting.inhibitions.map((i) => ({
      source_matchers: [`alertname="${i.source}"`],
      target_matchers: [`alertname=~"${i.targets.join('|')}"`],
      ...(i.equal.length > 0 ? { equal: [...i.equal] } : {}),
    })),
    receivers: recipients.flatMap(receivers),
    templates: ['/etc/alertmanager/config/*.tmpl'],
  };
}
